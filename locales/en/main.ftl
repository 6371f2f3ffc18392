# English
brand-tagline = Privacy Mark compliance
nav-skip = Skip to content
nav-choose-organisation = Choose an organisation
nav-new-organisation = Add an organisation
nav-logout = Sign out
nav-organisation = Organisation menu
nav-dashboard = Dashboard
nav-members = Members
nav-audit = Audit trail
nav-settings = Organisation settings
footer-note = Operating records of a personal information management system (PMS) under JIS Q 15001

error-request-id = Request ID
error-back-home = Back to the start page
error-400-title = Bad request
error-400-message = The request could not be read. Check what you entered and try again.
error-403-title = Not allowed
error-403-message = You may not do this, or the form has expired. Reload the page and try again.
error-404-title = Page not found
error-404-message = The page does not exist, or you may not see it.
error-413-title = Too large
error-413-message = What you sent is larger than the limit.
error-422-title = Please check your input
error-422-message = Some fields need correcting.
error-429-title = Please wait
error-429-message = Too many requests in a short time. Try again later.
error-500-title = Something went wrong
error-500-message = pmark could not complete the request. Quote the request ID below when you report it.

login-title = Sign in
login-submit = Sign in
login-failed = The e-mail address or password is not correct.
login-locked = Too many failed sign-ins. Please wait a while before trying again.

field-email = E-mail address
field-password = Password
field-new-password = New password (10 characters or more)
field-password-confirmation = Password (again)
field-current-password = Current password
field-organisation-name = Organisation name
field-display-name = Name
field-language = Language
field-role = Role

setup-title = First-run setup
setup-intro = Create the first administrator and their organisation. This page works once.
setup-submit = Create the administrator
setup-done = Setup is complete. Welcome.

home-title = Organisations
home-no-organisations = You do not belong to any organisation yet. Add one, or wait for an invitation from an admin.

account-title = Account
account-profile = Profile
account-password = Change password
account-change-password = Change password
account-profile-saved = Profile saved.
account-password-changed = Password changed. Sessions on other devices have ended.

action-save = Save
action-create = Create

organisation-new-intro = Register an organisation that holds (or is applying for) the Privacy Mark. You become its admin.
organisation-created = Organisation “{ $arg }” created.
organisation-saved = Organisation settings saved.

dashboard-your-role = Your role
dashboard-see-members = See members
dashboard-pending-invitations = Pending invitations: { $count }
dashboard-pms = Personal information management system
dashboard-empty = No controls, yearly duties or incidents recorded yet.
dashboard-recent-changes = Recent changes

audit-empty = Nothing recorded yet.
audit-total = { $count } entries, newest first
audit-when = When
audit-who = Who
audit-what = What
audit-action = Action
audit-changes = Changes
audit-pages = Pages
audit-newer = Newer entries
audit-older = Older entries

members-actions = Actions
members-change-role = Change role
members-remove = Remove
members-invite = Invite a member
members-invite-intro = Creates an invitation link to give to the person (it expires).
members-send-invitation = Create invitation link
members-pending = Pending invitations
members-expires = Expires
members-revoke = Revoke
members-last-admin = The organisation would be left without an admin, so this change was not made.
members-role-changed = Role changed.
members-removed = Member removed.

invitation-created = Invitation link created (shown only now): { $arg }
invitation-revoked = Invitation revoked.
invitation-accepted = You have joined the organisation.
invitation-title = Invitation
invitation-summary = Invitation to “{ $organisation }”
invitation-join = Join
invitation-other-account = This invitation is for another e-mail address. Sign out and open it again with the invited address.
invitation-sign-in-first = An account with this e-mail address exists. Sign in first, then join.
invitation-create-account = Create your account to join.

role-admin = Admin
role-officer = Officer
role-auditor = Auditor
role-viewer = Viewer

error-required = Required.
error-too-long = Too long.
error-control-characters = Contains characters that are not allowed.
error-email-invalid = Not a valid e-mail address.
error-password-too-short = Use at least 10 characters.
error-password-mismatch = The two passwords differ.
error-role-unknown = The role must be admin, officer, auditor or viewer.
error-lang-unknown = The language must be ja or en.
error-current-password = The current password is not correct.

# --- PMS: controls, yearly duties, evidence
nav-controls = Controls
nav-duties = PMS calendar
nav-catalog = Control catalog
action-filter = Filter
action-clear-filters = Clear filters
filter-all = All
filter-review-overdue = Review overdue
filter-no-evidence = No evidence
filter-not-applicable = Not applicable
applicable-yes = Applicable
applicable-no = Not applicable (excluded)

status-not_started = Not started
status-in_progress = In progress
status-implemented = Implemented
status-needs_review = Needs review
status-not_applicable = Not applicable

state-done = Done
state-overdue = Overdue
state-due_soon = Due soon
state-upcoming = Upcoming
state-untracked = Before tracking

frequency-yearly = Yearly
frequency-half_yearly = Half-yearly
frequency-quarterly = Quarterly
frequency-monthly = Monthly

checked-yes = Confirmed
checked-partly = Partly confirmed
checked-no = Not confirmed

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec

duty-register_review = Personal information register review
duty-risk_assessment = Risk assessment review
duty-legal_register_review = Laws and norms review
duty-training = Training of all workers
duty-operational_check = Operational check
duty-contractor_evaluation = Contractor evaluation
duty-internal_audit = Internal audit
duty-management_review = Management review

catalog-intro = The JIS Q 15001 Annex A controls pmark knows. It ships clause ids and headings only, never the standard's text; the descriptions are pmark's own summaries.
catalog-unchecked = Unconfirmed
catalog-unchecked-hint = This heading has not been checked against the standard's text. Compare it with your copy.
catalog-inferred-hint = The guideline J-number is an inferred mapping.
catalog-unchecked-count = Entries not yet checked against the standard: { $count }
catalog-show-all = Show all
catalog-show-unchecked = Show unconfirmed entries only
catalog-description = Description (pmark's summary)
catalog-checked = Checked

controls-intro = For every JIS Q 15001 Annex A control: whether it applies, its status, owner, the internal rule implementing it, evidence and review dates.
controls-filters = Filters
controls-shown = Controls shown: { $count }
controls-clause = Control
controls-heading = Heading
controls-evidence = Evidence
controls-guideline = Guideline
controls-implementation = Implementation
controls-next-review-hint = Leave the next review empty to set it one year after the last review.
controls-history = History
control-saved = Control { $arg } saved.

field-applicable = Applicability
field-not-applicable-reason = Justification for exclusion
field-status = Status
field-owner = Owner
field-internal-rule = Internal rule (name and article)
field-notes = Notes
field-last-reviewed-on = Last reviewed on
field-next-review-due = Next review due
field-description = Description
field-effective-on = Effective date (when it was done)
field-url = Link URL
field-file = File (up to { $max } MB)
field-supersedes = Replaces evidence (optional)
field-frequency = Frequency
field-due-month = Due month
field-due-on = Due on
field-duty-name = Name
field-performed-on = Performed on
field-performed-by = Performed by
field-summary = Summary
field-people-in-scope = People in scope
field-people-trained = People trained
field-absentee-follow-up = Follow-up of those absent
field-findings-count = Number of findings
field-decisions = Decisions and instructions
field-pms-year-start = First month of the PMS year

conflict-title = Someone else saved first
conflict-explanation = Control { $control } was saved by someone else after you opened the form. Compare both versions and choose which to keep.
conflict-field = Field
conflict-theirs = Saved version
conflict-yours = Your input
conflict-keep-yours = Save your input over it
conflict-keep-theirs = Keep the saved version

evidence-title = Evidence
evidence-none = No evidence yet.
evidence-file-or-link = File / link
evidence-uploaded = Added
evidence-add = Add evidence
evidence-kind = Kind
evidence-kind-file = File
evidence-kind-link = Link
evidence-submit = Add evidence
evidence-supersedes = replaces #{ $id }
evidence-added = Evidence added.

duties-years = PMS years
duties-year = FY{ $year }
duties-duty = Duty
duties-occurrences = Due dates and status
duties-settings = Calendar settings
duties-schedule = On/off and due month
duties-enabled = On
duties-add = Add your own duty
duties-record = Record
duties-record-now = Record it
duties-recorded-at = Recorded at
duties-save-record = Save the record
duties-evidence-after = Evidence files can be added once the record is saved.
duties-no-record = No record yet.
duty-created = Duty “{ $arg }” added.
duty-schedule-saved = Calendar saved.
duty-recorded = Record saved.
duty-already-recorded = This occurrence already has a record.

dashboard-reviews-due = Reviews due (next 60 days, overdue)
dashboard-duties-due = Duties due (next 60 days, overdue)
dashboard-nothing-due = Nothing due soon.
dashboard-timeline = PMS calendar FY{ $year }
dashboard-today = Today
legend-due = due
legend-done = done
legend-overdue = overdue

error-choice = Choose one of the options.
error-count-range = Enter a count of 0 or more.
error-number = Enter a number.
error-date = Enter a date as YYYY-MM-DD.
error-date-in-future = The date cannot be in the future.
error-file-required = Choose a file.
error-file-empty = Empty files are not accepted.
error-file-too-large = The file is larger than the limit.
error-file-name-path = File names cannot contain folders (/ or \).
error-file-name-invalid = The file name is too long or has characters that are not allowed.
error-file-interrupted = The upload was interrupted. Please try again.
error-follow-up-required = Some people were not trained: describe the follow-up.
error-frequency = The frequency must be yearly, half-yearly, quarterly or monthly.
error-justification-required = Give the reason for excluding this control.
error-month = The month must be 1 to 12.
error-next-review-before-last = The next review must come after the last one.
error-owner-not-member = The owner must be a member of this organisation.
error-stale-form = The form is out of date. Reload the page.
error-status = Unknown status.
error-trained-over-scope = More people trained than in scope.
error-url = Enter a URL starting with http:// or https://.
