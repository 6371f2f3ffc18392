# Lists (pages, sorting, filters and search)
list-summary = { $from }–{ $to } of { $total }
list-summary-empty = No entries
list-pages = Pages
list-prev = Previous
list-next = Next
list-page-n = Page { $page }
list-per = Per page
list-search-title = Search titles
list-default-order = Back to the default order
audit-filter-who = Who (part of the e-mail address)
audit-filter-from = From
audit-filter-to = To
