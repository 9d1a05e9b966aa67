//! The files `mieruka init` and `mieruka new report` write from nothing: each field with a
//! comment in Japanese saying what it is, 「未記入」 where the clerk must write something.
//! Nothing here is data: no value, name or date is invented.

use super::PLACEHOLDER;
use super::next::DRAFT_COMMENT;
use crate::ja::FiscalYear;

/// `site.toml` of a new site: every field of `config::SiteConfig`, what it does and its default.
pub(crate) const SITE_TOML: &str = r#"# mieruka のサイト設定（site.toml）。
# 項目（field）ごとに、その前のコメントに意味と、省略したときの扱いを書いています。
# 「#」で始まる行はコメントです。省略可の項目を使うときは、行頭の「# 」を消して書き換えてください。

# title（必須）：サイトの名前。すべてのページの見出しと <title>、Atom フィードに出ます。
title = "区政運営 自己評価の見える化"

# description（省略可・既定は空）：サイトの説明。トップページなど、ページ自身の説明がないページの
# <meta name="description"> と、Atom フィードの subtitle に使われます。
# description = "〇〇区が毎年度公表する区政運営の自己評価を、年度を越えて比べられるようにしたサイトです。"

# base_url（必須）：サイトを公開するアドレス。http:// か https:// で始まる絶対 URL で、公開するフォルダを
# 指します（例 https://www.city.example.jp/kusei/hyoka/）。すべてのリンクと、サイトマップ・フィードの
# アドレスがここから作られます。公開先が決まったら書き換えてください。
# `mieruka build --base-url URL` は、そのビルドに限ってこの値の代わりに URL を使います。
base_url = "http://localhost:8000/"

# publisher（省略可・既定は空）：サイトの発行者。ページの下（フッター）の「発行」、データの出典情報
# （JSON-LD）、Atom フィードの author に出ます。空のときは title が使われます。
# publisher = "〇〇市〇〇区役所"

# [licence]（省略可）：このサイトのデータ（書き写した報告書）を再利用できる条件。書くと、フッター、
# ダウンロードのデータ（datapackage.json）、Atom フィードに出ます。書かなければ、どこにも出ません。
#   name（必須）：ライセンスの名前
#   url（必須）：ライセンスの本文のアドレス（https: などで始まる絶対アドレス）
#   id（省略可・既定は空）：機械が読むための短い名前（SPDX の識別子、例 CC-BY-4.0）
# [licence]
# name = "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）"
# url = "https://creativecommons.org/licenses/by/4.0/deed.ja"
# id = "CC-BY-4.0"

# [accessibility]（省略可）：JIS X 8341-3 に基づくウェブアクセシビリティ方針と試験結果。
# 書くと「アクセシビリティ」のページに表で出ます。書かなければ、そのページは方針が
# 「まだ設定されていません」と表示します。適合を表明する内容なので、試験をして確かめてから書いてください。
#   standard（必須）：対象となる規格（例 "JIS X 8341-3:2016"）
#   level（必須）：目標とする適合レベル（例 "AA"）
#   conformance（必須）：適合レベルの表記（準拠／一部準拠／配慮）。準拠と一部準拠には checklist が必要で、
#     その結果が支える表記だけを書けます（未試験が残れば配慮、不適合が残れば一部準拠まで）
#   scope（必須）：対象範囲（例 "このサイトのすべてのページ"）
#   technologies（必須）：依存したウェブコンテンツ技術の一覧（例 ["HTML", "CSS", "SVG"]）
#   date（必須）：表明日。引用符なしの日付（例 2026-04-01）
#   tested_from・tested_until（省略可）：試験期間の最初と最後の日（引用符なしの日付）
#   method（省略可・既定は空）：試験の方法
#   tools（省略可）：試験に使ったものと版の一覧（例 ["axe-core 4.14.1"]）
#   contact（省略可・既定は空）：お問い合わせ先
#   checklist（省略可）：達成基準チェックリストの TOML ファイル（サイトのフォルダーからの相対パス）。
#     書くと accessibility/checklist/ のページになります（書き方は mieruka の docs/accessibility.md）
# [accessibility]
# standard = "JIS X 8341-3:2016"
# level = "AA"
# conformance = "配慮"
# scope = "このサイトのすべてのページ"
# technologies = ["HTML", "CSS", "SVG"]
# date = 2026-04-01
# method = "試験の方法を書いてください。"
# contact = "お問い合わせ先を書いてください。"

# [search]（省略可）：サイト内検索。書かなければ入っていて、どのページの上にも検索の欄が出ます。
# search/ のページ（検索と、区・目標ごとのすべての指標の一覧）と索引（pagefind/）が作られます。
#   enabled（省略可・既定は true）：false にすると、検索の欄、search/ のページ、pagefind/ を作りません
# [search]
# enabled = false
"#;

/// `content/index.md` of a new site: says what it is for, claims nothing.
pub(crate) const INDEX_MD: &str = "\
この文章は、mieruka init が作ったトップページの紹介文の見本です。`content/index.md` を書き換えて、\
このサイトが何を公開しているのか（どの市・区の、どの報告書か）と、その出典を説明してください。

報告書は、`mieruka new report <市>/<区>/<年度>` で下書きを作って書き込みます。書き方は mieruka の \
docs/content-format.md にあります。
";

/// `.gitignore` of a new site: the built site is made again by every build.
pub(crate) const GITIGNORE: &str = "public/\n";

/// `content/<city>/municipality.toml` of a new city.
pub(crate) fn municipality() -> String {
    format!(
        r#"# 市（municipality）の情報。書き方：docs/content-format.md の「municipality.toml」
# 「{PLACEHOLDER}」を書き換えてください。「#」で始まる行はコメントです。

# name：市の名前（例 大阪市）
name = "{PLACEHOLDER}"
# name_en（省略可）：英語の名前（例 Osaka City）
# name_en = "{PLACEHOLDER}"
# code：全国地方公共団体コード。最後の1桁（検査数字）を含む6桁（例 大阪市は "271004"）
code = "{PLACEHOLDER}"
"#
    )
}

/// `content/<city>/<ward>/ward.toml` of a new ward.
pub(crate) fn ward() -> String {
    format!(
        r#"# 区（ward）の情報。書き方：docs/content-format.md の「ward.toml」
# 「{PLACEHOLDER}」を書き換えてください。「#」で始まる行はコメントです。

# name：区の名前（例 北区）
name = "{PLACEHOLDER}"
# name_kana（省略可）：区の名前の読み（例 きたく）
# name_kana = "{PLACEHOLDER}"
# description（省略可）：区のページに出る紹介文（Markdown）
# description = """
# {PLACEHOLDER}
# """
"#
    )
}

/// A ward's first report: one goal with one outcome, one initiative, every field explained.
pub(crate) fn report(year: FiscalYear, ward: &str) -> String {
    REPORT
        .replace("{fy}", &year.era_label())
        .replace("{western}", &year.western().to_string())
        .replace("{ward}", ward)
        .replace("{draft}", DRAFT_COMMENT)
        .replace("{p}", PLACEHOLDER)
}

/// [`report`] before its `{…}` are filled in.
const REPORT: &str = r#"# {fy}の報告書の下書き：mieruka new report が作った雛形（ひな形）です。
# 「{p}」をすべて資料どおりに書き換えてください。省略可の項目で資料にないものは、行ごと消します。
# 目標・アウトカム・取組が2つ以上あるときは、[[goals]]・[[goals.outcomes]]・[[initiatives]] の
# まとまりを写して増やします。各項目の書き方：docs/content-format.md の「report.toml」

# fiscal_year：年度（fiscal year）。"平成29年度"・"令和元年度"・"H29"・"R2" か、西暦の {western}。
# フォルダ名（西暦の {western}）と同じ年度です。
fiscal_year = "{fy}"
draft = true  {draft}
# title：報告書の表題。原資料の表題をそのまま書きます。
title = "{p}"
# updated（省略可）：このデータを公表・更新した日。2018-06-29 のような日付か "平成30年6月29日"
updated = "{p}"

# [source]（省略可）：書き写した原資料
[source]
# title：原資料の表題
title = "{p}"
# file（省略可）：原資料のファイル（PDF など）を static/ に置いたときの、static/ からの場所
# （例 "sources/report-{western}.pdf"）。同じ場所でサイトに公開され、報告のページからリンクされます。
# file = "sources/…"
# url（省略可）：区が公開している原資料のアドレス。わかっているときだけ書き、推測で書きません。
# url = "https://…"
# published（省略可）：区が原資料を公表した日。2018-06-29 のような日付か "平成30年6月29日"
published = "{p}"

# =============================================================================
# 区の目標（ward goals）【1-1】…：目標ごとに [[goals]] を1つ
# =============================================================================

[[goals]]
# id：目標の番号。【1-1】なら "1-1"。年度が変わっても変えません（ページのアドレスになります）。
id = "1-1"
# policy（省略可）：この目標が対応する区政運営基本方針の項目の id。content/<市>/policy.toml に
# 書いた項目を指します。policy.toml があるときに書きます。
# policy = "1-2-a"
# desired_state：めざす状態（Markdown）
desired_state = "{p}"
# strategy：戦略（Markdown）。【改定履歴あり】の印は文に含めず、strategy_revised = true と書きます。
strategy = "{p}"
# outcome_rating：アウトカムの達成状況（全体）。A：順調／B：順調でない
outcome_rating = "{p}"
# strategy_progress：戦略の進捗状況。a：順調／b：順調でない
strategy_progress = "{p}"
# effectiveness：戦略のアウトカムに対する有効性。ア：有効であり、継続して推進／イ：有効でないため、戦略を見直す
effectiveness = "{p}"
# issues：課題（Markdown）。資料が「―」のときは "―"
issues = "{p}"
# next_steps：今後の対応方向（Markdown）。資料が「―」のときは "―"
next_steps = "{p}"

# アウトカム（outcome）：指標ごとに [[goals.outcomes]] を1つ
[[goals.outcomes]]
# indicator：指標の id（英小文字・数字・-）。年度が変わっても同じ id にします。同じ id の値が年度を
# 越えてつながります。これは仮の id です：指標の内容がわかる id に書き換えてください。
# policy.toml の成果指標なら、その id を書き、name・unit・target は書きません。
indicator = "{ward}-shihyo-1"
# name：指標の名前（区独自の指標のとき）
name = "{p}"
# unit：単位（％、点、人、件、地域…）
unit = "{p}"
# target：目標（区独自の指標のとき）。行頭の「# 」を消して書きます。text は資料の文言、comparator は
# 以上・超・以下・未満・ゼロ・前年度より増・前年度より減・基準年度比削減・定性・到達 のどれか、value は
# 目標の値（ゼロ・前年度より増/減・定性 では書きません）、deadline は期限の年度（資料にないときは書きません）。
# 以上 は資料に「以上」とあるときだけ。「100％」のように値だけのときは 到達 です。
# target = { text = "…", comparator = "以上", value = "…", deadline = "…" }
# measure（省略可）：達成状況の欄で値に付いている文言が name と違うとき、その文言
# value：この年度の値。資料の表記どおりの文字列（"81％"、"2,750人"）。報告することがないときは "―"
value = "{p}"
# previous（省略可）：資料に印字された前年度の値
previous = "{p}"
# rating（省略可）：個別評価。A：順調／B：順調でない
rating = "{p}"
# survey（省略可）：値がアンケートによるとき、資料にある項目だけ。例：
# survey = { name = "区民アンケート", asked = 2000, answered = 715, response_rate = "35.8％" }
# previous_survey（省略可）：前年度の値のもとになった調査を資料が示しているとき、survey と同じ書き方で。
# rated_with（省略可）：資料がこの指標と同じ目標の別の指標に個別評価を1つだけ印字しているとき、
# その指標の id（rating は同じものを書きます。件数では1件と数えます）。
# uncertain（省略可）：資料のレイアウトから値・評価・記号の位置が一つに決まらないとき、その理由。

# =============================================================================
# 具体的取組（initiatives）【1-1-1】…：取組ごとに [[initiatives]] を1つ
# =============================================================================

[[initiatives]]
# id：取組の番号。【1-1-1】なら "1-1-1"、【様式3 取組項目1】なら "yoshiki3-1"。年度が変わっても変えません。
id = "1-1-1"
# goal：この取組が対応する目標の id（様式3の取組では書きません）
goal = "1-1"
# content：取組内容（Markdown）
content = "{p}"
# performance_target：業績目標（Markdown）
performance_target = "{p}"
# withdrawal：撤退基準。text は資料の文言。数値の基準なら comparator・value・indicator も書けます。
# 資料が「―」のときは { text = "―" }（撤退基準の記載なし）。
withdrawal = { text = "{p}" }
# previous_results：前年度までの実績（Markdown）
previous_results = "{p}"
# results：取組実績（Markdown）
results = "{p}"
# achievement：業績目標の達成状況（Markdown）
achievement = "{p}"
# achievement_code：①目標達成／②目標未達成／③撤退基準未達成 に、(ⅰ)取組は予定どおり実施／
# (ⅱ)取組を予定どおり実施しなかった を付けて、例 "①(ⅰ)"
achievement_code = "{p}"
# effectiveness：戦略に対する取組の有効性。○：有効／×：有効でないため見直す／―
effectiveness = "{p}"
# issues：課題（Markdown）。資料が「―」のときは "―"
issues = "{p}"
# improvements：改善策（Markdown）。資料が「―」のときは "―"
improvements = "{p}"

# 業績目標の数値（省略可）は、取組ごとに [[initiatives.indicators]] に、アウトカムと同じ項目で書きます。例：
# [[initiatives.indicators]]
# indicator = "{ward}-shihyo-2"
# name = "…"
# unit = "人"
# target = { text = "…", comparator = "前年度より増" }
# value = "…"
"#;
