//! The columns of the data files' two tables, each declared once: the CSV header, the JSON
//! keys and the Table Schema all come from these lists.

use super::table::{Field, Kind};
use crate::model::target::{ComparatorKind, Direction, WithdrawalKind};
use crate::model::vocab::joined;

const fn f(name: &'static str, kind: Kind, title: &'static str, description: &'static str) -> Field {
    Field { name, kind, title, description }
}

const NOTE_DESCRIPTION: &str = "値についての注記を「／」で区切って記載：系列の断絶（前年度までの値と比較できない理由）、訂正（報告間で値が訂正された理由）、前年度欄からとった値であること、読み取りに不確かさがある理由（uncertain が true の行）、評価を別の指標と合わせて1つとして印字していること（rating_shared_with のある行）、撤退基準の記載がないこと（原資料の「―」）、報告の注記、出典箇所。";
const RATING_SHARED_DESCRIPTION: &str = "原資料がこの指標と別の指標に1つの評価（個別）だけを印字しているとき、その評価を持つ指標のID（この行の rating はその評価と同じ）。評価の件数を数えるときは、この列が空でない行を数えない。";
const UNCERTAIN_DESCRIPTION: &str = "true は、原資料のレイアウトからこの行の値・評価・記号の位置が一意に定まらず、読み取りに不確かさがあること（理由は note の「読み取りに不確かさがあります：」以下）。false はそのような記載がないこと。";
// The code lists come from the types that define the codes, so they cannot drift.
const COMPARATOR_DESCRIPTION: &str =
    joined!("目標の形：", [[ComparatorKind::DATA_LEGEND, "。空欄は目標の記載なし。"]], "");
const DIRECTION_DESCRIPTION: &str = joined!("", [[Direction::DATA_LEGEND, "。空欄は定めなし"]], "");
const VALUE_DESCRIPTION: &str = "単位を除いた数値（桁区切りなし、小数点は「.」、原資料に印刷された小数の桁数のまま）。空欄は値がないこと（報告が「―」としたもの）で、0とは異なる。";

/// The columns of `data/observations.csv` and of every series' `data.csv`.
pub const OBSERVATION_FIELDS: &[Field] = &[
    f("city", Kind::String, "市（ID）", "市のID（URLに使う英小文字）。例：osaka"),
    f("city_name", Kind::String, "市名", "例：大阪市"),
    f(
        "local_gov_code",
        Kind::String,
        "全国地方公共団体コード",
        "市の全国地方公共団体コード（検査数字を含む6桁。先頭の0を保つため文字列）。例：271004",
    ),
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
    f("value", Kind::Number, "値", VALUE_DESCRIPTION),
    f("value_text", Kind::String, "値（表記）", "サイトでの表記。例：81％、2,750人、―（記載なし）"),
    f("unit", Kind::String, "単位", "例：％、点、人、名、件"),
    f("direction", Kind::String, "よい方向", DIRECTION_DESCRIPTION),
    f(
        "target_value",
        Kind::Number,
        "目標値",
        "目標の数値（単位は unit。reduction_from_base では削減率％、zero では0）。空欄は数値の目標なし",
    ),
    f("comparator", Kind::String, "目標の比較方法", COMPARATOR_DESCRIPTION),
    f("target_text", Kind::String, "目標（原文）", "原資料での目標の記載"),
    f("target_base_fiscal_year", Kind::Year, "基準年度（西暦）", "reduction_from_base の目標の基準年度"),
    f("deadline_fiscal_year", Kind::Year, "目標の期限（年度、西暦）", "目標を達成する期限の年度"),
    f("rating", Kind::String, "区の評価", "アウトカムの達成状況（個別）：A または B"),
    f("rating_meaning", Kind::String, "区の評価の意味", "A：順調、B：順調でない"),
    f("rating_shared_with", Kind::String, "評価を共有する指標（ID）", RATING_SHARED_DESCRIPTION),
    f("survey_name", Kind::String, "調査名", "値のもとになった調査。例：区民アンケート"),
    f("survey_asked", Kind::Integer, "調査対象者数", "調査の対象人数"),
    f("survey_answered", Kind::Integer, "回答者数", "調査の回答人数"),
    f("survey_response_rate", Kind::Number, "回収率（％）", "調査の回収率（％）"),
    f("uncertain", Kind::Boolean, "読み取りの不確かさ", UNCERTAIN_DESCRIPTION),
    f("note", Kind::String, "注記", NOTE_DESCRIPTION),
    f("page_url", Kind::Uri, "掲載ページのURL", "この値を掲載している指標の推移のページ（年度の行への恒久的なリンク）"),
    f("report_url", Kind::Uri, "報告のURL", "この値をとった年度の報告のページ"),
];

/// The columns of every report's `data.csv`.
pub const REPORT_FIELDS: &[Field] = &[
    f("city", Kind::String, "市（ID）", "市のID（URLに使う英小文字）。例：osaka"),
    f("city_name", Kind::String, "市名", "例：大阪市"),
    f("local_gov_code", Kind::String, "全国地方公共団体コード", "市の全国地方公共団体コード（検査数字を含む6桁）"),
    f("ward", Kind::String, "区（ID）", "区のID（URLに使う英小文字）"),
    f("ward_name", Kind::String, "区名", "例：北区"),
    f("report_fiscal_year", Kind::Year, "報告の年度（西暦）", "自己評価の対象年度"),
    f("report_era_label", Kind::String, "報告の年度（和暦）", "例：平成28年度"),
    f(
        "record_type",
        Kind::String,
        "行の種類",
        "outcome（目標のアウトカム指標の値）、initiative_indicator（取組の業績目標の指標の値）、goal（指標のない目標）、initiative（指標のない取組）",
    ),
    f("goal_id", Kind::String, "目標ID", "区の目標の番号。例：1-1 は【1-1】"),
    f("goal_title", Kind::String, "目標", "目標の名称（なければ区政運営基本方針の項目名）"),
    f("goal_outcome_rating", Kind::String, "アウトカムの達成状況（目標全体）", "A または B"),
    f("goal_outcome_rating_meaning", Kind::String, "アウトカムの達成状況（目標全体）の意味", "A：順調、B：順調でない"),
    f("strategy_progress", Kind::String, "戦略の進捗状況", "a または b"),
    f("strategy_progress_meaning", Kind::String, "戦略の進捗状況の意味", "a：順調、b：順調でない"),
    f("strategy_effectiveness", Kind::String, "戦略のアウトカムに対する有効性", "ア または イ"),
    f(
        "strategy_effectiveness_meaning",
        Kind::String,
        "戦略の有効性の意味",
        "ア：有効であり、継続して推進、イ：有効でないため、戦略を見直す",
    ),
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
    ),
    f("achievement_meaning", Kind::String, "業績目標の達成状況の意味", "例：目標達成・取組は予定どおり実施"),
    f("initiative_effectiveness", Kind::String, "戦略に対する取組の有効性", "○ または ×（― は記載なし）"),
    f("initiative_effectiveness_meaning", Kind::String, "取組の有効性の意味", "○：有効、×：有効でないため見直す"),
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
    ),
    f(
        "withdrawal_value",
        Kind::Number,
        "撤退基準の値",
        "撤退基準の数値（単位は unit。below_share_of_previous では前年度の値に対する％）",
    ),
    f("indicator_id", Kind::String, "指標ID", "年度をまたいで変わらない指標のID"),
    f("indicator_name", Kind::String, "指標名", "指標の名称"),
    f("measure", Kind::String, "報告上の指標名", "達成状況の欄で値が報告されている名称（指標名と異なるときのみ）"),
    f(
        "value_column",
        Kind::String,
        "値の欄",
        "this_year（当該年度の値）または previous_year（報告の「前年度」欄の値）",
    ),
    f("fiscal_year", Kind::Year, "値の年度（西暦）", "値の年度。previous_year の行では報告の前年度"),
    f("era_label", Kind::String, "値の年度（和暦）", "例：平成27年度"),
    f("value", Kind::Number, "値", VALUE_DESCRIPTION),
    f("value_text", Kind::String, "値（表記）", "報告での表記（全角・半角を統一）。例：81％、―"),
    f("unit", Kind::String, "単位", "例：％、点、人"),
    f("direction", Kind::String, "よい方向", Direction::DATA_LEGEND),
    f("target_value", Kind::Number, "目標値", "目標の数値（単位は unit）。空欄は数値の目標なし"),
    f("comparator", Kind::String, "目標の比較方法", COMPARATOR_DESCRIPTION),
    f("target_text", Kind::String, "目標（原文）", "原資料での目標の記載"),
    f("target_base_fiscal_year", Kind::Year, "基準年度（西暦）", "reduction_from_base の目標の基準年度"),
    f("deadline_fiscal_year", Kind::Year, "目標の期限（年度、西暦）", "目標を達成する期限の年度"),
    f("rating", Kind::String, "区の評価（個別）", "アウトカムの達成状況（個別）：A または B。this_year の行のみ"),
    f("rating_meaning", Kind::String, "区の評価の意味", "A：順調、B：順調でない"),
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
