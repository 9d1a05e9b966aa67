//! The self-evaluation codes of the report, each with the legend the source prints.

use crate::ja::normalize_width;

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

impl AchievementLevel {
    pub const ALL: [AchievementLevel; 3] =
        [AchievementLevel::Achieved, AchievementLevel::NotAchieved, AchievementLevel::BelowWithdrawal];

    /// The code as printed, its legend, and its tone.
    const fn words(self) -> (&'static str, &'static str, Tone) {
        match self {
            AchievementLevel::Achieved => ("①", "目標達成", Tone::Good),
            AchievementLevel::NotAchieved => ("②", "目標未達成", Tone::Warning),
            AchievementLevel::BelowWithdrawal => ("③", "撤退基準未達成", Tone::Bad),
        }
    }
    pub const fn code(self) -> &'static str {
        self.words().0
    }
    pub const fn meaning(self) -> &'static str {
        self.words().1
    }
    pub const fn tone(self) -> Tone {
        self.words().2
    }
}

/// 業績目標の達成状況, second part: (ⅰ) / (ⅱ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conduct {
    /// (ⅰ) 取組は予定どおり実施
    AsPlanned,
    /// (ⅱ) 取組を予定どおり実施しなかった
    NotAsPlanned,
}

impl Conduct {
    pub const ALL: [Conduct; 2] = [Conduct::AsPlanned, Conduct::NotAsPlanned];

    /// The spellings content may use (after width folding; the code as printed first) and the legend.
    const fn words(self) -> ([&'static str; 3], &'static str) {
        match self {
            Conduct::AsPlanned => (["(ⅰ)", "(i)", "ⅰ"], "取組は予定どおり実施"),
            Conduct::NotAsPlanned => (["(ⅱ)", "(ii)", "ⅱ"], "取組を予定どおり実施しなかった"),
        }
    }
    /// Reads one spelling of the second part, already width-folded and without spaces.
    fn parse(s: &str) -> Option<Conduct> {
        Conduct::ALL.into_iter().find(|c| c.words().0.contains(&s))
    }
    pub const fn code(self) -> &'static str {
        self.words().0[0]
    }
    pub const fn meaning(self) -> &'static str {
        self.words().1
    }
}

/// An initiative's achievement code, e.g. ①(ⅰ): one of the combinations the legend allows,
/// ①(ⅰ) ①(ⅱ) ②(ⅰ) ②(ⅱ) ③(ⅰ) ③(ⅱ), and ③ alone (撤退基準未達成 without the second part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Achievement {
    /// ① 目標達成
    Achieved(Conduct),
    /// ② 目標未達成
    NotAchieved(Conduct),
    /// ③ 撤退基準未達成, with or without the second part.
    BelowWithdrawal(Option<Conduct>),
}

impl Achievement {
    pub const EXPECTED: &'static str = "①, ② or ③ followed by (ⅰ) or (ⅱ), e.g. ①(ⅰ)";

    /// The code of `level` with `conduct`, if the legend allows the pair.
    pub const fn new(level: AchievementLevel, conduct: Option<Conduct>) -> Option<Achievement> {
        match (level, conduct) {
            (AchievementLevel::Achieved, Some(c)) => Some(Achievement::Achieved(c)),
            (AchievementLevel::NotAchieved, Some(c)) => Some(Achievement::NotAchieved(c)),
            (AchievementLevel::BelowWithdrawal, c) => Some(Achievement::BelowWithdrawal(c)),
            (AchievementLevel::Achieved | AchievementLevel::NotAchieved, None) => None,
        }
    }

    pub fn parse(s: &str) -> Option<Achievement> {
        // Accept full-width brackets, spaces and ASCII roman numerals: 「② （ⅰ）」「①(i)」.
        let s: String = normalize_width(s).chars().filter(|c| !c.is_whitespace()).collect();
        let level = AchievementLevel::ALL.into_iter().find(|l| s.starts_with(l.code()))?;
        let rest = &s[level.code().len()..];
        let conduct = if rest.is_empty() { None } else { Some(Conduct::parse(rest)?) };
        Achievement::new(level, conduct)
    }

    /// Every code the legend allows, in its order: ①(ⅰ) ①(ⅱ) ②(ⅰ) ②(ⅱ) ③(ⅰ) ③(ⅱ) ③.
    pub const fn all() -> [Achievement; 7] {
        use Conduct::{AsPlanned, NotAsPlanned};
        [
            Achievement::Achieved(AsPlanned),
            Achievement::Achieved(NotAsPlanned),
            Achievement::NotAchieved(AsPlanned),
            Achievement::NotAchieved(NotAsPlanned),
            Achievement::BelowWithdrawal(Some(AsPlanned)),
            Achievement::BelowWithdrawal(Some(NotAsPlanned)),
            Achievement::BelowWithdrawal(None),
        ]
    }

    /// The first part: ① / ② / ③.
    pub const fn level(self) -> AchievementLevel {
        match self {
            Achievement::Achieved(_) => AchievementLevel::Achieved,
            Achievement::NotAchieved(_) => AchievementLevel::NotAchieved,
            Achievement::BelowWithdrawal(_) => AchievementLevel::BelowWithdrawal,
        }
    }

    /// The second part, (ⅰ) / (ⅱ); `None` only for ③ alone.
    pub const fn conduct(self) -> Option<Conduct> {
        match self {
            Achievement::Achieved(c) | Achievement::NotAchieved(c) => Some(c),
            Achievement::BelowWithdrawal(c) => c,
        }
    }
}

impl Code for Achievement {
    fn code(&self) -> String {
        format!("{}{}", self.level().code(), self.conduct().map_or("", Conduct::code))
    }
    fn meaning(&self) -> String {
        match self.conduct() {
            Some(c) => format!("{}・{}", self.level().meaning(), c.meaning()),
            None => self.level().meaning().to_string(),
        }
    }
    fn tone(&self) -> Tone {
        self.level().tone()
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
    fn each_code_names_the_column_it_stands_in() {
        assert_eq!(OutcomeRating::OnTrack.scale(), "アウトカムの達成状況");
        assert_eq!(StrategyProgress::OnTrack.scale(), "戦略の進捗状況");
        assert!(Achievement::all().iter().all(|a| a.scale() == "業績目標の達成状況"));
    }

    #[test]
    fn achievement_codes() {
        let a = Achievement::parse("②（ⅰ）").unwrap();
        assert_eq!(a.code(), "②(ⅰ)");
        assert_eq!(a.meaning(), "目標未達成・取組は予定どおり実施");
        assert_eq!(Achievement::parse("① (ⅰ)"), Some(Achievement::Achieved(Conduct::AsPlanned)));
        assert_eq!(Achievement::parse("①(ii)").unwrap().conduct(), Some(Conduct::NotAsPlanned));
        assert_eq!(Achievement::parse("③ⅰ").unwrap().level(), AchievementLevel::BelowWithdrawal);
        assert_eq!(Achievement::parse("③"), Some(Achievement::BelowWithdrawal(None)));
        assert_eq!(Achievement::parse("①"), None);
        assert_eq!(Achievement::parse("④(ⅰ)"), None);
        assert_eq!(Achievement::parse("①(ⅲ)"), None);
    }

    #[test]
    fn achievement_codes_are_exactly_the_legend() {
        let all: Vec<(String, String, Tone)> =
            Achievement::all().iter().map(|a| (a.code(), a.meaning(), a.tone())).collect();
        let want = [
            ("①(ⅰ)", "目標達成・取組は予定どおり実施", Tone::Good),
            ("①(ⅱ)", "目標達成・取組を予定どおり実施しなかった", Tone::Good),
            ("②(ⅰ)", "目標未達成・取組は予定どおり実施", Tone::Warning),
            ("②(ⅱ)", "目標未達成・取組を予定どおり実施しなかった", Tone::Warning),
            ("③(ⅰ)", "撤退基準未達成・取組は予定どおり実施", Tone::Bad),
            ("③(ⅱ)", "撤退基準未達成・取組を予定どおり実施しなかった", Tone::Bad),
            ("③", "撤退基準未達成", Tone::Bad),
        ];
        let want: Vec<(String, String, Tone)> = want.iter().map(|&(c, m, t)| (c.into(), m.into(), t)).collect();
        assert_eq!(all, want);
        // Every pair the legend allows is in `all`, each reads back from its code, and no other pair exists.
        let mut allowed = 0;
        for level in AchievementLevel::ALL {
            for conduct in [None, Some(Conduct::AsPlanned), Some(Conduct::NotAsPlanned)] {
                if let Some(a) = Achievement::new(level, conduct) {
                    allowed += 1;
                    assert!(Achievement::all().contains(&a));
                    assert_eq!((a.level(), a.conduct()), (level, conduct));
                    assert_eq!(Achievement::parse(&a.code()), Some(a));
                }
            }
        }
        assert_eq!(allowed, Achievement::all().len());
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
