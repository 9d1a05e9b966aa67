//! A view hashed as `Serialize` gives it, before it is made into Tera's values: a page read
//! back from the cache never has its values made (building them cost a warm build about as
//! much as hashing them).
//!
//! Every call the view makes is fed with its kind, and every name and string with its length;
//! sequences, maps and structs end with a mark no value starts with. So two views that would
//! give Tera different values never feed the same bytes (two that feed different bytes may
//! give the same values: then the page is only rendered again).

use super::{Hasher, text};
use serde::Serialize;
use serde::ser::{self, Serializer};

/// A view that cannot be hashed (its `Serialize` failed): the page is rendered, not kept.
#[derive(Debug)]
pub(super) struct Unkeyable;

impl std::fmt::Display for Unkeyable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a view that cannot be serialized")
    }
}

impl std::error::Error for Unkeyable {}

impl ser::Error for Unkeyable {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unkeyable
    }
}

/// Feeds what a `Serialize` value says to a hasher.
pub(super) struct Feed<'h>(pub(super) &'h mut Hasher);

/// The marks: one per kind of call, and the end of a sequence, map or struct.
mod mark {
    pub(super) const BOOL: u8 = 40;
    pub(super) const INT: u8 = 41;
    pub(super) const UINT: u8 = 42;
    pub(super) const F32: u8 = 43;
    pub(super) const F64: u8 = 44;
    pub(super) const CHAR: u8 = 45;
    pub(super) const STR: u8 = 46;
    pub(super) const BYTES: u8 = 47;
    pub(super) const NONE: u8 = 48;
    pub(super) const SOME: u8 = 49;
    pub(super) const UNIT: u8 = 50;
    pub(super) const UNIT_STRUCT: u8 = 51;
    pub(super) const UNIT_VARIANT: u8 = 52;
    pub(super) const NEWTYPE_STRUCT: u8 = 53;
    pub(super) const NEWTYPE_VARIANT: u8 = 54;
    pub(super) const SEQ: u8 = 55;
    pub(super) const TUPLE: u8 = 56;
    pub(super) const TUPLE_STRUCT: u8 = 57;
    pub(super) const TUPLE_VARIANT: u8 = 58;
    pub(super) const MAP: u8 = 59;
    pub(super) const STRUCT: u8 = 60;
    pub(super) const STRUCT_VARIANT: u8 = 61;
    pub(super) const I128: u8 = 62;
    pub(super) const U128: u8 = 63;
    pub(super) const FIELD: u8 = 64;
    pub(super) const END: u8 = 65;
}

impl Feed<'_> {
    fn mark(&mut self, m: u8) {
        self.0.update(&[m]);
    }

    fn marked(&mut self, m: u8, bytes: &[u8]) {
        self.0.update(&[m]);
        self.0.update(bytes);
    }

    fn named(&mut self, m: u8, name: &str) {
        self.mark(m);
        text(self.0, name);
    }

    fn variant(&mut self, m: u8, name: &str, index: u32, variant: &str) {
        self.named(m, name);
        self.0.update(&index.to_le_bytes());
        text(self.0, variant);
    }

    fn inner(&mut self) -> Feed<'_> {
        Feed(&mut *self.0)
    }

    fn close(&mut self) {
        self.mark(mark::END);
    }
}

impl<'h> Serializer for Feed<'h> {
    type Ok = ();
    type Error = Unkeyable;
    type SerializeSeq = Feed<'h>;
    type SerializeTuple = Feed<'h>;
    type SerializeTupleStruct = Feed<'h>;
    type SerializeTupleVariant = Feed<'h>;
    type SerializeMap = Feed<'h>;
    type SerializeStruct = Feed<'h>;
    type SerializeStructVariant = Feed<'h>;

    fn serialize_bool(mut self, v: bool) -> Result<(), Unkeyable> {
        self.marked(mark::BOOL, &[u8::from(v)]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unkeyable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unkeyable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unkeyable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(mut self, v: i64) -> Result<(), Unkeyable> {
        self.marked(mark::INT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(mut self, v: i128) -> Result<(), Unkeyable> {
        self.marked(mark::I128, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unkeyable> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unkeyable> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unkeyable> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(mut self, v: u64) -> Result<(), Unkeyable> {
        self.marked(mark::UINT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(mut self, v: u128) -> Result<(), Unkeyable> {
        self.marked(mark::U128, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(mut self, v: f32) -> Result<(), Unkeyable> {
        self.marked(mark::F32, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_f64(mut self, v: f64) -> Result<(), Unkeyable> {
        self.marked(mark::F64, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(mut self, v: char) -> Result<(), Unkeyable> {
        self.marked(mark::CHAR, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), Unkeyable> {
        self.named(mark::STR, v);
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Unkeyable> {
        self.mark(mark::BYTES);
        self.0.update(&(v.len() as u64).to_le_bytes());
        self.0.update(v);
        Ok(())
    }
    fn serialize_none(mut self) -> Result<(), Unkeyable> {
        self.mark(mark::NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(mut self, value: &T) -> Result<(), Unkeyable> {
        self.mark(mark::SOME);
        value.serialize(self)
    }
    fn serialize_unit(mut self) -> Result<(), Unkeyable> {
        self.mark(mark::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(mut self, name: &'static str) -> Result<(), Unkeyable> {
        self.named(mark::UNIT_STRUCT, name);
        Ok(())
    }
    fn serialize_unit_variant(
        mut self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<(), Unkeyable> {
        self.variant(mark::UNIT_VARIANT, name, index, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unkeyable> {
        self.named(mark::NEWTYPE_STRUCT, name);
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        mut self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unkeyable> {
        self.variant(mark::NEWTYPE_VARIANT, name, index, variant);
        value.serialize(self)
    }
    fn serialize_seq(mut self, _len: Option<usize>) -> Result<Feed<'h>, Unkeyable> {
        self.mark(mark::SEQ);
        Ok(self)
    }
    fn serialize_tuple(mut self, _len: usize) -> Result<Feed<'h>, Unkeyable> {
        self.mark(mark::TUPLE);
        Ok(self)
    }
    fn serialize_tuple_struct(mut self, name: &'static str, _len: usize) -> Result<Feed<'h>, Unkeyable> {
        self.named(mark::TUPLE_STRUCT, name);
        Ok(self)
    }
    fn serialize_tuple_variant(
        mut self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Feed<'h>, Unkeyable> {
        self.variant(mark::TUPLE_VARIANT, name, index, variant);
        Ok(self)
    }
    fn serialize_map(mut self, _len: Option<usize>) -> Result<Feed<'h>, Unkeyable> {
        self.mark(mark::MAP);
        Ok(self)
    }
    fn serialize_struct(mut self, name: &'static str, _len: usize) -> Result<Feed<'h>, Unkeyable> {
        self.named(mark::STRUCT, name);
        Ok(self)
    }
    fn serialize_struct_variant(
        mut self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Feed<'h>, Unkeyable> {
        self.variant(mark::STRUCT_VARIANT, name, index, variant);
        Ok(self)
    }
}

impl ser::SerializeSeq for Feed<'_> {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unkeyable> {
        value.serialize(self.inner())
    }
    fn end(mut self) -> Result<(), Unkeyable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for Feed<'_> {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unkeyable> {
        value.serialize(self.inner())
    }
    fn end(mut self) -> Result<(), Unkeyable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Feed<'_> {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unkeyable> {
        value.serialize(self.inner())
    }
    fn end(mut self) -> Result<(), Unkeyable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Feed<'_> {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unkeyable> {
        value.serialize(self.inner())
    }
    fn end(mut self) -> Result<(), Unkeyable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeMap for Feed<'_> {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Unkeyable> {
        self.mark(mark::FIELD);
        key.serialize(self.inner())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unkeyable> {
        value.serialize(self.inner())
    }
    fn end(mut self) -> Result<(), Unkeyable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Feed<'_> {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Unkeyable> {
        self.named(mark::FIELD, key);
        value.serialize(self.inner())
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Unkeyable> {
        // Tera's values leave a skipped field out as well; fed, so that skipping one is seen.
        self.named(mark::UNIT, key);
        Ok(())
    }
    fn end(mut self) -> Result<(), Unkeyable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Feed<'_> {
    type Ok = ();
    type Error = Unkeyable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Unkeyable> {
        self.named(mark::FIELD, key);
        value.serialize(self.inner())
    }
    fn end(mut self) -> Result<(), Unkeyable> {
        self.close();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(v: &impl Serialize) -> u128 {
        let mut h = Hasher::new();
        v.serialize(Feed(&mut h)).unwrap();
        h.digest128()
    }

    #[derive(Serialize)]
    struct Row {
        name: String,
        value: Option<f64>,
        tags: Vec<String>,
    }

    #[derive(Serialize)]
    struct Other {
        name: String,
        value: Option<f64>,
        tags: Vec<String>,
    }

    #[derive(Serialize)]
    enum Kind {
        A,
        B(u32),
    }

    #[test]
    fn views_that_tera_would_see_differently_feed_different_bytes() {
        let row = |name: &str, value: Option<f64>, tags: &[&str]| Row {
            name: name.into(),
            value,
            tags: tags.iter().map(|t| (*t).to_string()).collect(),
        };
        let digests = [
            digest(&row("a", None, &[])),
            digest(&row("a", Some(0.0), &[])),
            digest(&row("a", Some(1.0), &[])),
            digest(&row("ab", None, &[])),
            digest(&row("a", None, &["b"])),
            digest(&row("a", None, &["b", ""])),
            digest(&row("a", None, &["", "b"])),
            digest(&row("", None, &["a"])),
            digest(&vec![row("a", None, &[]), row("b", None, &[])]),
            digest(&vec![row("a", None, &[])]),
            digest(&(Kind::A, 1u32)),
            digest(&Kind::B(1)),
            digest(&"a"),
            digest(&Some("a")),
            digest(&1u64),
            digest(&1i64),
            digest(&1.0f64),
        ];
        let distinct: std::collections::HashSet<_> = digests.iter().collect();
        assert_eq!(distinct.len(), digests.len(), "two views fed the same bytes");
        assert_eq!(digest(&row("a", Some(2.5), &["x"])), digest(&row("a", Some(2.5), &["x"])));
        // A field's name and the struct's name are fed: the same values in another view differ.
        let other = Other { name: "a".into(), value: None, tags: Vec::new() };
        assert_ne!(digest(&other), digest(&row("a", None, &[])));
    }
}
