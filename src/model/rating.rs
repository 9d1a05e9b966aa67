//! The self-evaluation codes of the report, each with the legend the source prints.

use super::quantity::normalize_width;

/// Whether a rating is the good or the bad outcome: drives the icon and wording, never colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Warning,
}

impl Tone {
    /// The CSS class name (`tone-good`…) and the name templates see, and the shape that says
    /// the same without colour.
    const fn words(self) -> (&'static str, &'static str) {
        match self {
            Tone::Good => ("good", "✓"),
            Tone::Warning => ("warning", "△"),
            Tone::Bad => ("bad", "▼"),
        }
    }
    /// The name in CSS classes (`tone-good`) and templates: `good`, `warning`, `bad`.
    pub const fn class(self) -> &'static str {
        self.words().0
    }
    /// The icon that says the same as the colour: ✓, △, ▼.
    pub const fn icon(self) -> &'static str {
        self.words().1
    }
}

impl serde::Serialize for Tone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.class())
    }
}

/// A code printed in a report, with its meaning.
pub trait Code {
    /// The code as printed, e.g. 「A」「①(ⅰ)」.
    fn code(&self) -> String;
    /// Its legend, e.g. 「順調」.
    fn meaning(&self) -> String;
    fn tone(&self) -> Tone;
    /// What the code rates (the column it stands in), e.g. 「アウトカムの達成状況」.
    fn scale(&self) -> &'static str;
}

macro_rules! two_way_rating {
    ($(#[$doc:meta])* $name:ident, $scale:literal, $expected:literal,
     $good:ident = [$($gcode:literal),+] => $gmeaning:literal,
     $bad:ident = [$($bcode:literal),+] => $bmeaning:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $good,
            $bad,
        }
        impl $name {
            pub const EXPECTED: &'static str = $expected;
            pub const ALL: [$name; 2] = [$name::$good, $name::$bad];
            pub fn parse(s: &str) -> Option<$name> {
                let s = normalize_width(s.trim());
                match s.as_str() {
                    $($gcode)|+ => Some($name::$good),
                    $($bcode)|+ => Some($name::$bad),
                    _ => None,
                }
            }
        }
        impl Code for $name {
            fn code(&self) -> String {
                match self {
                    $name::$good => [$($gcode),+][0].to_string(),
                    $name::$bad => [$($bcode),+][0].to_string(),
                }
            }
            fn meaning(&self) -> String {
                match self {
                    $name::$good => $gmeaning.to_string(),
                    $name::$bad => $bmeaning.to_string(),
                }
            }
            fn tone(&self) -> Tone {
                match self {
                    $name::$good => Tone::Good,
                    $name::$bad => Tone::Bad,
                }
            }
            fn scale(&self) -> &'static str {
                $scale
            }
        }
    };
}

two_way_rating!(
    /// アウトカムの達成状況: A 順調 / B 順調でない.
    OutcomeRating, "アウトカムの達成状況", "A (順調) or B (順調でない)",
    OnTrack = ["A"] => "順調",
    NotOnTrack = ["B"] => "順調でない"
);

two_way_rating!(
    /// 戦略の進捗状況: a 順調 / b 順調でない.
    StrategyProgress, "戦略の進捗状況", "a (順調) or b (順調でない)",
    OnTrack = ["a"] => "順調",
    NotOnTrack = ["b"] => "順調でない"
);

two_way_rating!(
    /// 戦略のアウトカムに対する有効性: ア / イ.
    StrategyEffectiveness, "戦略のアウトカムに対する有効性", "ア (有効であり、継続して推進) or イ (有効でないため、戦略を見直す)",
    Effective = ["ア", "ｱ"] => "有効であり、継続して推進",
    Ineffective = ["イ", "ｲ"] => "有効でないため、戦略を見直す"
);

two_way_rating!(
    /// 戦略に対する取組の有効性: ○ / ×.
    InitiativeEffectiveness, "戦略に対する取組の有効性", "○ (有効) or × (有効でないため見直す)",
    Effective = ["○", "〇", "◯"] => "有効",
    Ineffective = ["×", "✕", "x", "X"] => "有効でないため見直す"
);

/// 業績目標の達成状況, first part: ① / ② / ③.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AchievementLevel {
    /// ① 目標達成
    Achieved,
    /// ② 目標未達成
    NotAchieved,
    /// ③ 撤退基準未達成
    BelowWithdrawal,
}

/// 業績目標の達成状況, second part: (ⅰ) / (ⅱ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conduct {
    /// (ⅰ) 取組は予定どおり実施
    AsPlanned,
    /// (ⅱ) 取組を予定どおり実施しなかった
    NotAsPlanned,
}

/// An initiative's achievement code, e.g. ①(ⅰ). ③ may stand without the second part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Achievement {
    pub level: AchievementLevel,
    pub conduct: Option<Conduct>,
}

impl Achievement {
    pub const EXPECTED: &'static str = "①, ② or ③ followed by (ⅰ) or (ⅱ), e.g. ①(ⅰ)";

    pub fn parse(s: &str) -> Option<Achievement> {
        // Accept full-width brackets, spaces and ASCII roman numerals: 「② （ⅰ）」「①(i)」.
        let s: String = normalize_width(s).chars().filter(|c| !c.is_whitespace()).collect();
        let mut chars = s.chars();
        let level = match chars.next()? {
            '①' => AchievementLevel::Achieved,
            '②' => AchievementLevel::NotAchieved,
            '③' => AchievementLevel::BelowWithdrawal,
            _ => return None,
        };
        let rest: String = chars.collect();
        let conduct = match rest.as_str() {
            "" => None,
            "(ⅰ)" | "(i)" | "ⅰ" => Some(Conduct::AsPlanned),
            "(ⅱ)" | "(ii)" | "ⅱ" => Some(Conduct::NotAsPlanned),
            _ => return None,
        };
        if conduct.is_none() && level != AchievementLevel::BelowWithdrawal {
            return None;
        }
        Some(Achievement { level, conduct })
    }

    pub fn all() -> Vec<Achievement> {
        let mut v = Vec::new();
        for level in [AchievementLevel::Achieved, AchievementLevel::NotAchieved, AchievementLevel::BelowWithdrawal] {
            for conduct in [Conduct::AsPlanned, Conduct::NotAsPlanned] {
                v.push(Achievement { level, conduct: Some(conduct) });
            }
        }
        // ③ may stand alone (撤退基準未達成 without the second part).
        v.push(Achievement { level: AchievementLevel::BelowWithdrawal, conduct: None });
        v
    }
}

impl AchievementLevel {
    pub fn code(self) -> &'static str {
        match self {
            AchievementLevel::Achieved => "①",
            AchievementLevel::NotAchieved => "②",
            AchievementLevel::BelowWithdrawal => "③",
        }
    }
    pub fn meaning(self) -> &'static str {
        match self {
            AchievementLevel::Achieved => "目標達成",
            AchievementLevel::NotAchieved => "目標未達成",
            AchievementLevel::BelowWithdrawal => "撤退基準未達成",
        }
    }
}

impl Conduct {
    pub fn code(self) -> &'static str {
        match self {
            Conduct::AsPlanned => "(ⅰ)",
            Conduct::NotAsPlanned => "(ⅱ)",
        }
    }
    pub fn meaning(self) -> &'static str {
        match self {
            Conduct::AsPlanned => "取組は予定どおり実施",
            Conduct::NotAsPlanned => "取組を予定どおり実施しなかった",
        }
    }
}

impl Code for Achievement {
    fn code(&self) -> String {
        format!("{}{}", self.level.code(), self.conduct.map_or("", Conduct::code))
    }
    fn meaning(&self) -> String {
        match self.conduct {
            Some(c) => format!("{}・{}", self.level.meaning(), c.meaning()),
            None => self.level.meaning().to_string(),
        }
    }
    fn tone(&self) -> Tone {
        match self.level {
            AchievementLevel::Achieved => Tone::Good,
            AchievementLevel::NotAchieved => Tone::Warning,
            AchievementLevel::BelowWithdrawal => Tone::Bad,
        }
    }
    fn scale(&self) -> &'static str {
        "業績目標の達成状況"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_code_in_both_widths() {
        assert_eq!(OutcomeRating::parse("Ａ"), Some(OutcomeRating::OnTrack));
        assert_eq!(OutcomeRating::parse("B"), Some(OutcomeRating::NotOnTrack));
        assert_eq!(StrategyProgress::parse("ｂ"), Some(StrategyProgress::NotOnTrack));
        assert_eq!(StrategyEffectiveness::parse("イ"), Some(StrategyEffectiveness::Ineffective));
        assert_eq!(InitiativeEffectiveness::parse("○"), Some(InitiativeEffectiveness::Effective));
        assert_eq!(OutcomeRating::parse("C"), None);
        assert_eq!(OutcomeRating::parse("a"), None, "a is the strategy scale, not the outcome one");
    }

    #[test]
    fn achievement_codes() {
        let a = Achievement::parse("②（ⅰ）").unwrap();
        assert_eq!(a.code(), "②(ⅰ)");
        assert_eq!(a.meaning(), "目標未達成・取組は予定どおり実施");
        assert_eq!(Achievement::parse("① (ⅰ)").unwrap().level, AchievementLevel::Achieved);
        assert_eq!(Achievement::parse("③").unwrap().conduct, None);
        assert_eq!(Achievement::parse("①"), None);
        assert_eq!(Achievement::parse("④(ⅰ)"), None);
        assert_eq!(Achievement::parse("①(ⅲ)"), None);
    }

    #[test]
    fn tones_name_their_class_and_icon() {
        let all = [Tone::Good, Tone::Warning, Tone::Bad];
        let words: Vec<(&str, &str)> = all.iter().map(|t| (t.class(), t.icon())).collect();
        assert_eq!(words, [("good", "✓"), ("warning", "△"), ("bad", "▼")]);
        assert_eq!(serde_json::to_string(&all).unwrap(), r#"["good","warning","bad"]"#);
    }

    #[test]
    fn legends() {
        assert_eq!(OutcomeRating::OnTrack.meaning(), "順調");
        assert_eq!(StrategyEffectiveness::Effective.meaning(), "有効であり、継続して推進");
        assert_eq!(InitiativeEffectiveness::Ineffective.code(), "×");
    }
}
