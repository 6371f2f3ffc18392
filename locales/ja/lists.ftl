# 一覧（ページ送り・並べ替え・絞り込み・検索）
list-summary = { $from }–{ $to }件 / 全{ $total }件
list-summary-empty = 0件
list-pages = ページ
list-prev = 前へ
list-next = 次へ
list-page-n = { $page }ページ目
list-per = 表示件数
list-search-title = タイトルで検索
list-default-order = 標準の並び順に戻す
audit-filter-who = 操作者（メールアドレスの一部）
audit-filter-from = 期間（開始日）
audit-filter-to = 期間（終了日）
