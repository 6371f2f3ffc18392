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
