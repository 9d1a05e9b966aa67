//! The columns of the data files' two tables, each declared once: the CSV header, the JSON
//! keys and the Table Schema all come from these lists, and so do the code lists (`enum`)
//! and keys of the schemas.

use super::table::{Field, ForeignKey, Kind};
use crate::model::rating::{
    Achievement, Code, InitiativeEffectiveness, OutcomeRating, StrategyEffectiveness, StrategyProgress,
};
use crate::model::target::{ComparatorKind, Direction, WithdrawalKind};
use crate::model::vocab::joined;

const fn f(name: &'static str, kind: Kind, title: &'static str, description: &'static str) -> Field {
    Field::new(name, kind, title, description)
}

// ---- the codes a column may hold, from the types that define them ----

fn codes_of<C: Code>(all: impl IntoIterator<Item = C>) -> Vec<String> {
    all.into_iter().map(|c| c.code()).collect()
}
fn meanings_of<C: Code>(all: impl IntoIterator<Item = C>) -> Vec<String> {
    let mut m: Vec<String> = all.into_iter().map(|c| c.meaning()).collect();
    m.dedup();
    m
}
fn outcome_ratings() -> Vec<String> {
    codes_of(OutcomeRating::ALL)
}
fn outcome_rating_meanings() -> Vec<String> {
    meanings_of(OutcomeRating::ALL)
}
fn strategy_progress() -> Vec<String> {
    codes_of(StrategyProgress::ALL)
}
fn strategy_progress_meanings() -> Vec<String> {
    meanings_of(StrategyProgress::ALL)
}
fn strategy_effectiveness() -> Vec<String> {
    codes_of(StrategyEffectiveness::ALL)
}
fn strategy_effectiveness_meanings() -> Vec<String> {
    meanings_of(StrategyEffectiveness::ALL)
}
fn initiative_effectiveness() -> Vec<String> {
    codes_of(InitiativeEffectiveness::ALL)
}
fn initiative_effectiveness_meanings() -> Vec<String> {
    meanings_of(InitiativeEffectiveness::ALL)
}
fn achievements() -> Vec<String> {
    codes_of(Achievement::all())
}
fn achievement_meanings() -> Vec<String> {
    meanings_of(Achievement::all())
}
fn directions() -> Vec<String> {
    Direction::ALL.iter().map(|d| d.code().to_string()).collect()
}
fn comparators() -> Vec<String> {
    ComparatorKind::ALL.iter().map(|c| c.code().to_string()).collect()
}
fn withdrawal_comparators() -> Vec<String> {
    WithdrawalKind::ALL.iter().map(|c| c.code().to_string()).collect()
}
/// `record_type`: the kinds of rows of a report's data; the first two are values (the rows of
/// `observations.csv`).
pub const RECORD_TYPES: [&str; 4] = ["outcome", "initiative_indicator", "goal", "initiative"];
fn record_types() -> Vec<String> {
    RECORD_TYPES.map(String::from).to_vec()
}
fn value_record_types() -> Vec<String> {
    RECORD_TYPES[..2].iter().map(|s| (*s).to_string()).collect()
}
/// `value_column`: the report's own value for its year, or its 「前年度」 column.
pub const VALUE_COLUMNS: [&str; 2] = ["this_year", "previous_year"];
fn value_columns() -> Vec<String> {
    VALUE_COLUMNS.map(String::from).to_vec()
}

/// 全国地方公共団体コード: six digits, a leading zero kept.
const LOCAL_GOV_CODE: &str = "^[0-9]{6}$";
/// `place`: the goal or initiative of a report that gives a row (as its fragment on the report page).
const PLACE: &str = "^(goal|initiative)-.+$";

const NOTE_DESCRIPTION: &str = "値についての注記を「／」で区切って記載：系列の断絶（前年度までの値と比較できない理由）、訂正（報告間で値が訂正された理由）、前年度欄からとった値であること、読み取りに不確かさがある理由（uncertain が true の行）、評価を別の指標と合わせて1つとして印字していること（rating_shared_with のある行）、撤退基準の記載がないこと（原資料の「―」）、報告の注記、出典箇所。";
const RATING_SHARED_DESCRIPTION: &str = "原資料がこの指標と別の指標に1つの評価（個別）だけを印字しているとき、その評価を持つ指標のID（この行の rating はその評価と同じ）。評価の件数を数えるときは、この列が空でない行を数えない。";
const UNCERTAIN_DESCRIPTION: &str = "true は、原資料のレイアウトからこの行の値・評価・記号の位置が一意に定まらず、読み取りに不確かさがあること（理由は note の「読み取りに不確かさがあります：」以下）。false はそのような記載がないこと。";
// The code lists come from the types that define the codes, so they cannot drift.
const COMPARATOR_DESCRIPTION: &str =
    joined!("目標の形：", [[ComparatorKind::DATA_LEGEND, "。空欄は目標の記載なし。"]], "");
const DIRECTION_DESCRIPTION: &str = joined!("", [[Direction::DATA_LEGEND, "。空欄は定めなし"]], "");
const VALUE_DESCRIPTION: &str = "単位を除いた数値（桁区切りなし、小数点は「.」、原資料に印刷された小数の桁数のまま）。空欄は値がないこと（報告が「―」としたもの）で、0とは異なる。";

const LOCAL_GOV_CODE_DESCRIPTION: &str = "市の全国地方公共団体コード（検査数字を含む6桁。先頭の0を保つため文字列。pandas では dtype={\"local_gov_code\": str} を指定して読む）。例：271004";
const PLACE_DESCRIPTION: &str = "この行を示している報告の箇所：goal-<目標ID>（目標）または initiative-<取組ID>（取組）。報告のページ内の位置（#goal-…、#initiative-…）と同じ。例：goal-2-4、initiative-2-4-1";
const RECORD_ID_DESCRIPTION: &str = "報告の中で行を一意に示すID：place（指標のない行）、または place/指標ID/value_column。例：goal-1-1/jiritsu-chiiki-unei/this_year";
const VALUE_COLUMN_DESCRIPTION: &str = "this_year（当該年度の値）または previous_year（報告の「前年度」欄の値）";
const VALUE_COLUMN_OBSERVATION_DESCRIPTION: &str = "値をとった欄：this_year（その年度の報告の値）または previous_year（翌年度の報告の「前年度」欄の値。その年度の報告がないときのみ）";
const VALUE_TEXT_DESCRIPTION: &str = "サイトでの表記。例：81％、2,750人、―（原資料が「―」としたもの）、4地域中3地域（数値でない記載）、記載なし（評価や注記だけで値の記載がない行）";
const TARGET_VALUE_DESCRIPTION: &str =
    "目標の数値（単位は unit。reduction_from_base では削減率％、zero では0）。空欄は数値の目標なし";
const SURVEY_DESCRIPTION: &str = "値のもとになった調査。例：区民アンケート（this_year の行はその年度の調査、previous_year の行は報告が前年度の値について示す調査）";
const ACHIEVEMENT_OBSERVATION_DESCRIPTION: &str = "取組の業績目標の達成状況（initiative_indicator の this_year の行のみ）：①目標達成・②目標未達成・③撤退基準未達成 と (ⅰ)取組は予定どおり実施・(ⅱ)取組を予定どおり実施しなかった の組み合わせ。例：①(ⅰ)";
/// The columns of `data/observations.csv` and of every series' `data.csv`: one row per
/// observation (indicator × ward × fiscal year) and place of the report that gives it (a goal's
/// outcome, an initiative's indicator), each with that place's target and codes.
pub const OBSERVATION_FIELDS: &[Field] = &[
    f("city", Kind::String, "市（ID）", "市のID（URLに使う英小文字）。例：osaka"),
    f("city_name", Kind::String, "市名", "例：大阪市"),
    f("local_gov_code", Kind::String, "全国地方公共団体コード", LOCAL_GOV_CODE_DESCRIPTION).pattern(LOCAL_GOV_CODE),
    f("ward", Kind::String, "区（ID）", "区のID（URLに使う英小文字）。例：kita"),
    f("ward_name", Kind::String, "区名", "例：北区"),
    f(
        "fiscal_year",
        Kind::Year,
        "年度（西暦）",
        "値の年度。年度が始まる西暦年（4月から翌年3月まで）。例：2016 は平成28年度",
    ),
    f("era_label", Kind::String, "年度（和暦）", "例：平成28年度、令和元年度"),
    f("indicator_id", Kind::String, "指標ID", "年度をまたいで変わらない指標のID（URLに使う）"),
    f("indicator_name", Kind::String, "指標名", "指標の名称（最新の報告での名称）"),
    f(
        "record_type",
        Kind::String,
        "掲載箇所の種類",
        "outcome（目標のアウトカム指標）または initiative_indicator（取組の業績目標の指標）",
    )
    .codes(value_record_types),
    f("place", Kind::String, "掲載箇所", PLACE_DESCRIPTION).pattern(PLACE),
    f("goal_id", Kind::String, "目標ID", "値を示している目標の番号（取組の行ではその取組の目標）。例：1-1 は【1-1】"),
    f(
        "initiative_id",
        Kind::String,
        "取組ID",
        "値を示している取組の番号（initiative_indicator の行のみ）。例：1-1-1、yoshiki3-1",
    ),
    f(
        "report_fiscal_year",
        Kind::Year,
        "報告の年度（西暦）",
        "値をとった報告の年度（previous_year の行では値の翌年度）",
    ),
    f("value_column", Kind::String, "値の欄", VALUE_COLUMN_OBSERVATION_DESCRIPTION).codes(value_columns),
    f("value", Kind::Number, "値", VALUE_DESCRIPTION),
    f("value_text", Kind::String, "値（表記）", VALUE_TEXT_DESCRIPTION),
    f("unit", Kind::String, "単位", "例：％、点、人、名、件"),
    f("direction", Kind::String, "よい方向", DIRECTION_DESCRIPTION).codes(directions),
    f("target_value", Kind::Number, "目標値", TARGET_VALUE_DESCRIPTION),
    f("comparator", Kind::String, "目標の比較方法", COMPARATOR_DESCRIPTION).codes(comparators),
    f(
        "target_text",
        Kind::String,
        "目標（原文）",
        "この掲載箇所での目標の記載（目標のアウトカムと取組の業績目標とで異なることがある）",
    ),
    f("target_base_fiscal_year", Kind::Year, "基準年度（西暦）", "reduction_from_base の目標の基準年度"),
    f("deadline_fiscal_year", Kind::Year, "目標の期限（年度、西暦）", "目標を達成する期限の年度"),
    f("rating", Kind::String, "区の評価", "アウトカムの達成状況（個別）：A または B（outcome の this_year の行のみ）")
        .codes(outcome_ratings),
    f("rating_meaning", Kind::String, "区の評価の意味", "A：順調、B：順調でない").codes(outcome_rating_meanings),
    f("rating_shared_with", Kind::String, "評価を共有する指標（ID）", RATING_SHARED_DESCRIPTION),
    f("achievement_code", Kind::String, "業績目標の達成状況", ACHIEVEMENT_OBSERVATION_DESCRIPTION).codes(achievements),
    f("achievement_meaning", Kind::String, "業績目標の達成状況の意味", "例：目標達成・取組は予定どおり実施")
        .codes(achievement_meanings),
    f("survey_name", Kind::String, "調査名", SURVEY_DESCRIPTION),
    f("survey_asked", Kind::Integer, "調査対象者数", "調査の対象人数"),
    f("survey_answered", Kind::Integer, "回答者数", "調査の回答人数"),
    f("survey_response_rate", Kind::Number, "回収率（％）", "調査の回収率（％）"),
    f("uncertain", Kind::Boolean, "読み取りの不確かさ", UNCERTAIN_DESCRIPTION),
    f("note", Kind::String, "注記", NOTE_DESCRIPTION),
    f("page_url", Kind::Uri, "掲載ページのURL", "この値を掲載している指標の推移のページ（年度の行への恒久的なリンク）"),
    f("report_url", Kind::Uri, "報告のURL", "この値をとった年度の報告のページ"),
    f("series_url", Kind::Uri, "指標の推移のURL", "この指標の年度ごとの推移のページ"),
];

/// The primary key of `observations.csv`: an observation and the place that gives it.
pub const OBSERVATION_KEY: &[&str] = &["city", "ward", "indicator_id", "fiscal_year", "place"];

/// The columns of every report's `data.csv`.
pub const REPORT_FIELDS: &[Field] = &[
    f("city", Kind::String, "市（ID）", "市のID（URLに使う英小文字）。例：osaka"),
    f("city_name", Kind::String, "市名", "例：大阪市"),
    f("local_gov_code", Kind::String, "全国地方公共団体コード", LOCAL_GOV_CODE_DESCRIPTION).pattern(LOCAL_GOV_CODE),
    f("ward", Kind::String, "区（ID）", "区のID（URLに使う英小文字）"),
    f("ward_name", Kind::String, "区名", "例：北区"),
    f("report_fiscal_year", Kind::Year, "報告の年度（西暦）", "自己評価の対象年度"),
    f("report_era_label", Kind::String, "報告の年度（和暦）", "例：平成28年度"),
    f(
        "record_type",
        Kind::String,
        "行の種類",
        "outcome（目標のアウトカム指標の値）、initiative_indicator（取組の業績目標の指標の値）、goal（指標のない目標）、initiative（指標のない取組）",
    )
    .codes(record_types),
    f("place", Kind::String, "掲載箇所", PLACE_DESCRIPTION).pattern(PLACE),
    f("record_id", Kind::String, "行のID", RECORD_ID_DESCRIPTION),
    f("goal_id", Kind::String, "目標ID", "区の目標の番号。例：1-1 は【1-1】"),
    f("goal_title", Kind::String, "目標", "目標の名称（なければ区政運営基本方針の項目名）"),
    f("goal_outcome_rating", Kind::String, "アウトカムの達成状況（目標全体）", "A または B").codes(outcome_ratings),
    f("goal_outcome_rating_meaning", Kind::String, "アウトカムの達成状況（目標全体）の意味", "A：順調、B：順調でない")
        .codes(outcome_rating_meanings),
    f("strategy_progress", Kind::String, "戦略の進捗状況", "a または b").codes(strategy_progress),
    f("strategy_progress_meaning", Kind::String, "戦略の進捗状況の意味", "a：順調、b：順調でない")
        .codes(strategy_progress_meanings),
    f("strategy_effectiveness", Kind::String, "戦略のアウトカムに対する有効性", "ア または イ").codes(strategy_effectiveness),
    f(
        "strategy_effectiveness_meaning",
        Kind::String,
        "戦略の有効性の意味",
        "ア：有効であり、継続して推進、イ：有効でないため、戦略を見直す",
    )
    .codes(strategy_effectiveness_meanings),
    f("strategy_revised", Kind::Boolean, "改定履歴あり", "true は計画期間中に戦略が改定されたこと（【改定履歴あり】）"),
    f(
        "initiative_id",
        Kind::String,
        "取組ID",
        "具体的取組の番号。例：1-1-1 は【1-1-1】、yoshiki3-1 は【様式3 取組項目1】",
    ),
    f("initiative_label", Kind::String, "取組の番号（表記）", "例：1-1-1、様式3 取組項目1"),
    f("initiative_title", Kind::String, "取組", "取組の名称（なければ取組内容の冒頭）"),
    f(
        "achievement_code",
        Kind::String,
        "業績目標の達成状況",
        "①目標達成・②目標未達成・③撤退基準未達成 と (ⅰ)取組は予定どおり実施・(ⅱ)取組を予定どおり実施しなかった の組み合わせ。例：①(ⅰ)",
    )
    .codes(achievements),
    f("achievement_meaning", Kind::String, "業績目標の達成状況の意味", "例：目標達成・取組は予定どおり実施")
        .codes(achievement_meanings),
    f("initiative_effectiveness", Kind::String, "戦略に対する取組の有効性", "○ または ×（空欄は記載なし。原資料の「―」を含む）")
        .codes(initiative_effectiveness),
    f("initiative_effectiveness_meaning", Kind::String, "取組の有効性の意味", "○：有効、×：有効でないため見直す")
        .codes(initiative_effectiveness_meanings),
    f(
        "withdrawal_text",
        Kind::String,
        "撤退基準（原文）",
        "取組を再構築・撤退する基準の原文（その指標にかかるもの。複数あれば「／」で区切る）。空欄は撤退基準の記載がないこと（原資料が「―」とした取組は note にその旨を記載）",
    ),
    f(
        "withdrawal_comparator",
        Kind::String,
        "撤退基準の形",
        joined!("最初の撤退基準の形：", [[WithdrawalKind::DATA_LEGEND]], ""),
    )
    .codes(withdrawal_comparators),
    f(
        "withdrawal_value",
        Kind::Number,
        "撤退基準の値",
        "撤退基準の数値（単位は unit。below_share_of_previous では前年度の値に対する％）",
    ),
    f("indicator_id", Kind::String, "指標ID", "年度をまたいで変わらない指標のID"),
    f("indicator_name", Kind::String, "指標名", "指標の名称"),
    f("measure", Kind::String, "報告上の指標名", "達成状況の欄で値が報告されている名称（指標名と異なるときのみ）"),
    f("value_column", Kind::String, "値の欄", VALUE_COLUMN_DESCRIPTION).codes(value_columns),
    f("fiscal_year", Kind::Year, "値の年度（西暦）", "値の年度。previous_year の行では報告の前年度"),
    f("era_label", Kind::String, "値の年度（和暦）", "例：平成27年度"),
    f("value", Kind::Number, "値", VALUE_DESCRIPTION),
    f("value_text", Kind::String, "値（表記）", "報告での表記（全角・半角を統一）。例：81％、―、4地域中3地域。値の記載がない行は空欄"),
    f("unit", Kind::String, "単位", "例：％、点、人"),
    f("direction", Kind::String, "よい方向", Direction::DATA_LEGEND).codes(directions),
    f("target_value", Kind::Number, "目標値", "目標の数値（単位は unit）。空欄は数値の目標なし"),
    f("comparator", Kind::String, "目標の比較方法", COMPARATOR_DESCRIPTION).codes(comparators),
    f("target_text", Kind::String, "目標（原文）", "原資料での目標の記載"),
    f("target_base_fiscal_year", Kind::Year, "基準年度（西暦）", "reduction_from_base の目標の基準年度"),
    f("deadline_fiscal_year", Kind::Year, "目標の期限（年度、西暦）", "目標を達成する期限の年度"),
    f("rating", Kind::String, "区の評価（個別）", "アウトカムの達成状況（個別）：A または B。this_year の行のみ")
        .codes(outcome_ratings),
    f("rating_meaning", Kind::String, "区の評価の意味", "A：順調、B：順調でない").codes(outcome_rating_meanings),
    f("rating_shared_with", Kind::String, "評価を共有する指標（ID）", RATING_SHARED_DESCRIPTION),
    f(
        "survey_name",
        Kind::String,
        "調査名",
        "値のもとになった調査（this_year の行はその年度の調査、previous_year の行は報告が前年度の値について示す調査）",
    ),
    f("survey_asked", Kind::Integer, "調査対象者数", "調査の対象人数"),
    f("survey_answered", Kind::Integer, "回答者数", "調査の回答人数"),
    f("survey_response_rate", Kind::Number, "回収率（％）", "調査の回収率（％）"),
    f("uncertain", Kind::Boolean, "読み取りの不確かさ", UNCERTAIN_DESCRIPTION),
    f("note", Kind::String, "注記", NOTE_DESCRIPTION),
    f("page_url", Kind::Uri, "掲載ページのURL", "この行を掲載しているページの恒久的なURL（ページ内の位置を含む）"),
    f("series_url", Kind::Uri, "指標の推移のURL", "この指標の年度ごとの推移のページ"),
];

/// The primary key of a report's `data.csv`.
pub const REPORT_KEY: &[&str] = &["city", "ward", "report_fiscal_year", "record_id"];

/// Every value row of a report (`series_url`, `fiscal_year`) is an observation of
/// `observations.csv` (the package's resource `observations`); goal and initiative rows
/// without a value have both empty and are not checked.
pub const REPORT_TO_OBSERVATIONS: ForeignKey = ForeignKey {
    fields: &["series_url", "fiscal_year"],
    resource: "observations",
    reference_fields: &["series_url", "fiscal_year"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_fields_have_unique_names() {
        for fields in [OBSERVATION_FIELDS, REPORT_FIELDS] {
            let names: std::collections::BTreeSet<&str> = fields.iter().map(|f| f.name).collect();
            assert_eq!(names.len(), fields.len());
            assert!(fields.iter().all(|f| f.name.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        }
    }
}
