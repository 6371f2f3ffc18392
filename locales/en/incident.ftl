# The incident-facts vocabulary and the incident review assessment
incident-kind-leak = Leak
incident-kind-loss = Loss
incident-kind-destruction = Destruction or damage
incident-kind-tampering = Tampering
incident-kind-improper_acquisition = Improper acquisition
incident-kind-beyond_purpose = Use or provision beyond the purpose
incident-kind-misuse = Misuse
incident-kind-request_refused = Refusal of a disclosure etc. request

incident-cause-web_vulnerability = Web application vulnerability
incident-cause-unauthorized_access = Unauthorised access (abused credentials, intrusion)
incident-cause-web_skimming = Web skimming (checkout page or form tampered)
incident-cause-third_party_script = A vendor's script or SaaS compromised
incident-cause-malware = Malware
incident-cause-ransomware = Ransomware
incident-cause-phishing = Phishing
incident-cause-insider_theft = Taken by a worker or privileged user
incident-cause-misdelivery_email = E-mail misdelivered (wrong address, To/CC instead of BCC)
incident-cause-misdelivery_post = Post, fax or courier misdelivered
incident-cause-lost_item = Item lost or left behind
incident-cause-stolen_item = Item stolen
incident-cause-improper_disposal = Improper disposal
incident-cause-misconfiguration = Misconfiguration (e.g. public cloud storage)
incident-cause-operational_error = Operational error
incident-cause-removable_media = Data carried out on removable media
incident-cause-unapproved_subcontracting = Subcontracting without approval

incident-data-name = Name
incident-data-contact = Address or phone number
incident-data-email_address = E-mail address
incident-data-date_of_birth = Date of birth
incident-data-credit_card = Card number and expiry
incident-data-card_security_code = Card security code
incident-data-bank_account = Bank account
incident-data-login_credentials = Login credentials
incident-data-sensitive = Special care-required personal information
incident-data-my_number = Specific personal information (My Number)
incident-data-minors = Data about minors
incident-data-employee_data = Employee data
incident-data-purchase_history = Purchase history

incident-party-own_staff = Own staff
incident-party-dispatched_staff = Dispatched staff
incident-party-contractor = Contractor
incident-party-subcontractor = Subcontractor (any tier)
incident-party-external_attacker = External attacker
incident-party-vendor_service = Vendor service
incident-party-unknown = Unknown

incident-system-ec_site = EC site
incident-system-web_form = Web form
incident-system-email = E-mail
incident-system-file_server = File server
incident-system-database = Database
incident-system-call_center = Call centre
incident-system-pc = PC
incident-system-smartphone = Smartphone
incident-system-usb_media = USB or other media
incident-system-paper = Paper
incident-system-cloud_storage = Cloud storage
incident-system-postal = Post, fax or courier

incident-detected_by-internal = Internal
incident-detected_by-payment_processor = Payment processor or card company
incident-detected_by-customer = Customer or the individual
incident-detected_by-contractor = Contractor
incident-detected_by-police = Police
incident-detected_by-regulator = Regulator
incident-detected_by-attacker_claim = Attacker's claim or extortion
incident-detected_by-external_report = External report

incident-category-sensitive = Special care-required data
incident-category-financial_damage = Possible financial damage
incident-category-wrongful_intent = Possible wrongful intent
incident-category-over_1000 = More than 1,000 people

incident-priority-high = High
incident-priority-medium = Medium
incident-priority-low = Low

assess-title = Incident review assessment
assess-pmark-report = Privacy Mark (incident report to the examination body)
assess-appi = APPI (leak report to the PPC)
assess-required = required
assess-not-required = not required
assess-preliminary-due = Preliminary report target
assess-preliminary-latest = Preliminary report at the latest
assess-final-due = Final report due
assess-reportable = Reportable
assess-categories = Categories
assess-exemptions = Exemptions
assess-notify-individuals = Notify the individuals
assess-open-questions = Open questions
assess-notes = Notes
assess-controls = Controls to review
assess-none = none
