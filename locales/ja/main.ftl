# 日本語 (既定の言語)
brand-tagline = プライバシーマーク運用管理
nav-skip = 本文へ移動
nav-choose-organisation = 事業者を選択
nav-new-organisation = 事業者を追加
nav-logout = ログアウト
nav-organisation = 事業者メニュー
nav-dashboard = ダッシュボード
nav-members = メンバー
nav-audit = 操作履歴（監査証跡）
nav-settings = 事業者設定
footer-note = JIS Q 15001 に基づく個人情報保護マネジメントシステム（PMS）の運用記録

error-request-id = リクエストID
error-back-home = トップへ戻る
error-400-title = リクエストが不正です
error-400-message = 送信内容を読み取れませんでした。入力内容を確認してもう一度お試しください。
error-403-title = 操作できません
error-403-message = この操作を行う権限がないか、フォームの有効期限が切れています。ページを再読み込みしてからもう一度お試しください。
error-404-title = ページが見つかりません
error-404-message = お探しのページは存在しないか、閲覧する権限がありません。
error-413-title = ファイルが大きすぎます
error-413-message = 送信できるサイズの上限を超えています。
error-422-title = 入力内容に誤りがあります
error-422-message = 入力内容を確認してください。
error-429-title = しばらくお待ちください
error-429-message = 短時間に多くのリクエストがありました。時間をおいてお試しください。
error-500-title = システムエラー
error-500-message = 処理中に問題が発生しました。問い合わせの際は下のリクエストIDをお伝えください。

login-title = ログイン
login-submit = ログイン
login-failed = メールアドレスまたはパスワードが正しくありません。
login-locked = ログインの失敗が続いたため、しばらくの間ログインできません。時間をおいてお試しください。

field-email = メールアドレス
field-password = パスワード
field-new-password = 新しいパスワード（10文字以上）
field-password-confirmation = パスワード（確認）
field-current-password = 現在のパスワード
field-organisation-name = 事業者名
field-display-name = 氏名
field-language = 表示言語
field-role = 役割

setup-title = 初期設定
setup-intro = 最初の管理者アカウントと事業者を作成します。この画面は一度だけ使用できます。
setup-submit = 管理者を作成
setup-done = 初期設定が完了しました。ようこそ。

home-title = 事業者一覧
home-no-organisations = まだどの事業者にも所属していません。事業者を追加するか、管理者からの招待をお待ちください。

account-title = アカウント設定
account-profile = プロフィール
account-password = パスワード変更
account-change-password = パスワードを変更
account-profile-saved = プロフィールを保存しました。
account-password-changed = パスワードを変更しました。他の端末のセッションは無効になりました。

action-save = 保存
action-create = 作成

organisation-new-intro = プライバシーマークを運用する事業者を登録します。あなたがその事業者の管理者になります。
organisation-created = 事業者「{ $arg }」を作成しました。
organisation-saved = 事業者設定を保存しました。

dashboard-your-role = あなたの役割
dashboard-see-members = メンバーを見る
dashboard-pending-invitations = 未承諾の招待: { $count } 件
dashboard-pms = 個人情報保護マネジメントシステム
dashboard-empty = まだ管理策・年間計画・事故の記録はありません。
dashboard-recent-changes = 最近の変更

audit-empty = 記録はまだありません。
audit-total = 全 { $count } 件（新しい順）
audit-when = 日時
audit-who = 操作者
audit-what = 対象
audit-action = 操作
audit-changes = 変更内容
audit-pages = ページ
audit-newer = 新しい記録
audit-older = 古い記録

members-actions = 操作
members-change-role = 役割を変更
members-remove = 削除
members-invite = メンバーを招待
members-invite-intro = 招待リンクを作成します。リンクを本人に伝えてください（有効期限あり）。
members-send-invitation = 招待リンクを作成
members-pending = 未承諾の招待
members-expires = 有効期限
members-revoke = 取り消す
members-last-admin = 管理者が一人もいなくなるため、この変更はできません。
members-role-changed = 役割を変更しました。
members-removed = メンバーを削除しました。

invitation-created = 招待リンクを作成しました（この画面でのみ表示されます）: { $arg }
invitation-revoked = 招待を取り消しました。
invitation-accepted = 事業者に参加しました。
invitation-title = 事業者への招待
invitation-summary = 「{ $organisation }」への招待
invitation-join = 参加する
invitation-other-account = この招待は別のメールアドレス宛てです。ログアウトしてから、招待されたアドレスで開いてください。
invitation-sign-in-first = このメールアドレスのアカウントがあります。ログインしてから参加してください。
invitation-create-account = アカウントを作成して参加します。

role-admin = 管理者
role-officer = 事務局
role-auditor = 監査員
role-viewer = 閲覧者

error-required = 入力してください。
error-too-long = 長すぎます。
error-control-characters = 使用できない文字が含まれています。
error-email-invalid = メールアドレスの形式が正しくありません。
error-password-too-short = パスワードは10文字以上にしてください。
error-password-mismatch = 確認用のパスワードが一致しません。
error-role-unknown = 役割は admin、officer、auditor、viewer のいずれかです。
error-lang-unknown = 言語は ja または en を指定してください。
error-current-password = 現在のパスワードが正しくありません。

# --- PMS: 管理策・年間計画・証跡
nav-controls = 管理策
nav-duties = 年間計画
nav-catalog = 管理策カタログ
action-filter = 絞り込む
action-clear-filters = 条件をクリア
filter-all = すべて
filter-review-overdue = 見直し期限切れ
filter-no-evidence = 証跡なし
filter-not-applicable = 適用除外
applicable-yes = 適用する
applicable-no = 適用しない（除外）

status-not_started = 未着手
status-in_progress = 対応中
status-implemented = 実施済み
status-needs_review = 要見直し
status-not_applicable = 適用除外

state-done = 実施済み
state-overdue = 期限超過
state-due_soon = 期限間近
state-upcoming = 予定
state-untracked = 記録対象外

frequency-yearly = 年1回
frequency-half_yearly = 半年ごと
frequency-quarterly = 四半期ごと
frequency-monthly = 毎月

checked-yes = 確認済み
checked-partly = 一部未確認
checked-no = 未確認

month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月
month-short-1 = 1月
month-short-2 = 2月
month-short-3 = 3月
month-short-4 = 4月
month-short-5 = 5月
month-short-6 = 6月
month-short-7 = 7月
month-short-8 = 8月
month-short-9 = 9月
month-short-10 = 10月
month-short-11 = 11月
month-short-12 = 12月

duty-register_review = 個人情報管理台帳の見直し
duty-risk_assessment = リスク分析の見直し
duty-legal_register_review = 法令・規範の見直し
duty-training = 教育の実施
duty-operational_check = 運用の確認
duty-contractor_evaluation = 委託先の評価
duty-internal_audit = 内部監査
duty-management_review = マネジメントレビュー

catalog-intro = pmark が収録している JIS Q 15001 附属書A の管理策の一覧です。見出しと番号のみを収録し、規格本文は含みません。説明文は pmark 独自の要約です。
catalog-unchecked = 未確認
catalog-unchecked-hint = この見出しは規格原文との照合が済んでいません。お手元の規格と照らして確認してください。
catalog-inferred-hint = 構築・運用指針の J 番号は推定による対応付けです。
catalog-unchecked-count = 原文と未照合の項目: { $count } 件
catalog-show-all = すべて表示
catalog-show-unchecked = 未照合の項目のみ表示
catalog-description = 説明（pmark の要約）
catalog-checked = 照合状況

controls-intro = JIS Q 15001 附属書A の管理策ごとに、適用の有無、実施状況、担当者、対応する内部規程、証跡、見直し時期を管理します。
controls-filters = 絞り込み条件
controls-shown = 表示中の管理策: { $count } 件
controls-clause = 管理策
controls-heading = 見出し
controls-evidence = 証跡
controls-guideline = 指針
controls-implementation = 実施状況
controls-next-review-hint = 次回見直し日を空欄にすると、前回見直し日の1年後が設定されます。
controls-history = 変更履歴
control-saved = 管理策 { $arg } を保存しました。

field-applicable = 適用
field-not-applicable-reason = 適用除外の理由
field-status = 実施状況
field-owner = 担当者
field-internal-rule = 内部規程（規程名と条項）
field-notes = メモ
field-last-reviewed-on = 前回見直し日
field-next-review-due = 次回見直し期限
field-description = 内容
field-effective-on = 実施日（証跡の日付）
field-url = リンク先URL
field-file = ファイル（{ $max } MBまで）
field-supersedes = 差し替える証跡（任意）
field-frequency = 頻度
field-due-month = 期限月
field-due-on = 期限
field-duty-name = 名称
field-performed-on = 実施日
field-performed-by = 実施者
field-summary = 実施内容の概要
field-people-in-scope = 対象者数
field-people-trained = 受講者数
field-absentee-follow-up = 未受講者へのフォロー
field-findings-count = 指摘事項の件数
field-decisions = 決定事項・指示事項
field-pms-year-start = PMS年度の開始月

conflict-title = 他の人が先に更新しました
conflict-explanation = 管理策 { $control } は、このフォームを開いた後に他の人が保存しています。両方の内容を確認して、どちらを残すか選んでください。
conflict-field = 項目
conflict-theirs = 保存済みの内容
conflict-yours = あなたの入力
conflict-keep-yours = あなたの入力で上書きする
conflict-keep-theirs = 保存済みの内容を残す

evidence-title = 証跡
evidence-none = 証跡はまだありません。
evidence-file-or-link = ファイル／リンク
evidence-uploaded = 登録
evidence-add = 証跡を追加
evidence-kind = 種類
evidence-kind-file = ファイル
evidence-kind-link = リンク
evidence-submit = 証跡を登録
evidence-supersedes = #{ $id } の差し替え
evidence-added = 証跡を登録しました。

duties-years = PMS年度
duties-year = { $year }年度
duties-duty = 運用項目
duties-occurrences = 期限と実施状況
duties-settings = 年間計画の設定
duties-schedule = 実施の有無と期限月
duties-enabled = 実施する
duties-add = 独自の運用項目を追加
duties-record = 実施記録
duties-record-now = 実施記録を登録
duties-recorded-at = 記録日時
duties-save-record = 実施記録を保存
duties-evidence-after = 証跡ファイルは記録の保存後に追加できます。
duties-no-record = まだ実施記録はありません。
duty-created = 運用項目「{ $arg }」を追加しました。
duty-schedule-saved = 年間計画を保存しました。
duty-recorded = 実施記録を保存しました。
duty-already-recorded = この回の実施記録はすでに登録されています。

dashboard-reviews-due = 見直し期限（60日以内・超過）
dashboard-duties-due = 年間計画の期限（60日以内・超過）
dashboard-nothing-due = 期限の迫っている項目はありません。
dashboard-timeline = { $year }年度の年間計画
dashboard-today = 今日
legend-due = 期限
legend-done = 実施
legend-overdue = 期限超過

error-choice = 選択肢から選んでください。
error-count-range = 0以上の人数・件数を入力してください。
error-number = 数字で入力してください。
error-date = 日付は YYYY-MM-DD の形式で入力してください。
error-date-in-future = 未来の日付は指定できません。
error-file-required = ファイルを選択してください。
error-file-empty = 空のファイルは登録できません。
error-file-too-large = ファイルが大きすぎます。上限を超えるファイルは登録できません。
error-file-name-path = ファイル名にフォルダ（/ や \）を含めることはできません。
error-file-name-invalid = ファイル名に使用できない文字が含まれているか、長すぎます。
error-file-interrupted = アップロードが中断されました。もう一度お試しください。
error-follow-up-required = 未受講者がいる場合は、フォローの内容を記入してください。
error-frequency = 頻度は年1回・半年ごと・四半期ごと・毎月のいずれかです。
error-justification-required = 適用除外とする場合は理由を記入してください。
error-month = 月は1〜12で指定してください。
error-next-review-before-last = 次回見直し期限は前回見直し日より後にしてください。
error-owner-not-member = 担当者はこの事業者のメンバーから選んでください。
error-stale-form = フォームが古くなっています。ページを再読み込みしてください。
error-status = 実施状況が正しくありません。
error-trained-over-scope = 受講者数が対象者数を超えています。
error-url = http:// または https:// で始まるURLを入力してください。
