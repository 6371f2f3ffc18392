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
