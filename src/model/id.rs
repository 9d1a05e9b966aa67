//! Typed ids: each kind of id is its own type, so a ward's id cannot be passed where an
//! indicator's is expected. An id is the text content gives (lowercase ASCII letters, digits
//! and hyphens, checked at load); it is printed, compared and ordered as that text.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Maps keyed by the id can be looked up with a `&str`.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> $name {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> $name {
                $name(id.to_string())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type!(
    /// A city: its folder under `content/` (`osaka`).
    CityId
);
id_type!(
    /// A ward: its folder under the city's (`kita`).
    WardId
);
id_type!(
    /// An indicator: the same across fiscal years (and, for a city-wide one, across wards).
    IndicatorId
);
id_type!(
    /// A goal of a report (`1-1` for 【1-1】).
    GoalId
);
id_type!(
    /// An initiative of a report (`1-1-1` for 【1-1-1】, `yoshiki3-1` for 【様式3 取組項目1】).
    InitiativeId
);
id_type!(
    /// An area, item or sub-item of a city's policy (区政運営基本方針), or one of its pillars.
    PolicyId
);

/// One ward's series of one indicator: what joins values across fiscal years.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesKey {
    pub city: CityId,
    pub ward: WardId,
    pub indicator: IndicatorId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_order_and_print_as_their_text() {
        let a = SeriesKey { city: CityId::new("osaka"), ward: WardId::new("kita"), indicator: IndicatorId::new("b") };
        let b = SeriesKey { city: CityId::new("osaka"), ward: WardId::new("kita"), indicator: IndicatorId::new("c") };
        let c = SeriesKey { city: CityId::new("osaka"), ward: WardId::new("minato"), indicator: IndicatorId::new("a") };
        assert!(a < b && b < c, "ordered by city, ward, then indicator");
        assert_eq!(a.indicator.to_string(), "b");
        assert_eq!(serde_json::to_string(&a.city).unwrap(), "\"osaka\"");
        let map: std::collections::BTreeMap<IndicatorId, u8> = [(IndicatorId::new("x"), 1)].into();
        assert_eq!(map.get("x"), Some(&1));
    }
}
