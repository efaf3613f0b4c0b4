"""The demo council used by `seed_demo`: names are invented; the structure is a realistic one."""

import datetime as dt

DEMO_PASSWORD = "demo-password-2026"

COUNCIL = {
    "name": "Reading Borough Council",
    "aliases": [("Reading Council", "alias"), ("Reading Borough", "alias"), ("RBC", "abbreviation")],
}

SCHOOLS = [
    {"name": "Oakfield Primary School", "aliases": [("Oakfield Primary", "alias"), ("OPS", "abbreviation")]},
    {"name": "Kennet Valley Academy", "aliases": [("Kennet Valley", "alias"), ("KVA", "abbreviation")]},
    {"name": "Thameside High School", "aliases": [("Thameside High", "alias"), ("THS", "abbreviation")]},
    {
        "name": "St Laurence's Church of England Primary School",
        "aliases": [("St Laurence's", "alias"), ("St Laurence", "alias"), ("SLCE", "abbreviation")],
    },
]

# username, first, last, job title, where (council or school index), roles, line manager username
DEMO_USERS = [
    ("headofhr", "Margaret", "Okafor", "Head of HR and Organisational Development", "council", ["head_of_hr"], None),
    ("hr", "Daniel", "Price", "HR Officer", "council", ["hr_officer"], "headofhr"),
    (
        "investigator",
        "Priya",
        "Chandran",
        "Senior HR Adviser (Investigations)",
        "council",
        ["investigator"],
        "headofhr",
    ),
    ("comms", "Tom", "Whitaker", "Digital Communications Officer", "council", ["communications"], None),
    ("admin", "Alex", "Morgan", "Systems Administrator", "council", [], None),
    ("headteacher", "Helen", "Ashworth", "Headteacher", 0, ["headteacher"], None),
    ("bizmanager", "Gareth", "Lloyd", "School Business Manager", 0, ["business_manager"], "headteacher"),
    ("manager", "Sarah", "Bennett", "Deputy Headteacher", 0, [], "headteacher"),
    ("employee", "James", "Wilson", "Year 4 Class Teacher", 0, [], "manager"),
]

FIRST_NAMES = [
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Harry",
    "Mia",
    "Noah",
    "Grace",
    "Jack",
    "Sophie",
    "Leo",
    "Chloe",
    "Oscar",
    "Ella",
    "Arthur",
    "Freya",
    "Muhammad",
    "Zara",
    "Theo",
    "Aisha",
    "Samuel",
    "Niamh",
    "Rhys",
    "Imogen",
    "Kwame",
    "Hannah",
    "Tariq",
    "Lucy",
    "Ewan",
    "Fatima",
    "Connor",
    "Megan",
    "Joseph",
    "Anya",
    "Callum",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Clarke",
    "Patel",
    "Khan",
    "Begum",
    "Murphy",
    "Kelly",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Singh",
    "Ahmed",
    "Fraser",
]
SCHOOL_JOBS = [
    "Class Teacher",
    "Teaching Assistant",
    "Higher Level Teaching Assistant",
    "SENCo",
    "Office Administrator",
    "Site Manager",
    "Learning Mentor",
    "Year Leader",
    "Subject Leader",
    "Midday Supervisor",
    "Librarian",
    "Cover Supervisor",
    "ICT Technician",
    "Finance Officer",
]
COUNCIL_JOBS = ["HR Assistant", "Payroll Officer", "Schools Finance Adviser", "Education Welfare Officer"]

REST_BREAKS = [("Morning break", dt.time(10, 30), dt.time(10, 45)), ("Lunch break", dt.time(12, 15), dt.time(13, 0))]

POLICY_SUMMARY = """\
This version sets out how staff of the council's schools use social media, at work and in their personal lives.

At work (clause 2): you may use social media on school computers or your own devices only in your official rest \
breaks, such as lunch, and never while working overtime.

For the school (clause 3): contributions to official accounts follow the council's communications guidance. \
Before anything is published a colleague checks it, and a public campaign needs your line manager's permission \
first. Never bring the school into disrepute, breach confidentiality or copyright, or post anything discriminatory \
or bullying.

Monitoring (clause 4): the school may check internet use at work when there is a valid reason, keeps what it \
gathers for no more than 12 months, and may withdraw access to a site after misuse.

In your personal life (clause 5): you may say where you work, but your profile name must not contain the school's \
name; if you discuss your work, your profile must say your views are your own. Check your privacy settings. Staff \
in politically restricted posts must take extra care.

Recruitment (clause 6): HR and managers do not search applicants on social media except to find candidates.

Breaches (clause 7) may lead to disciplinary action; surveillance needs the Head of HR and OD's approval, and \
serious breaches may be gross misconduct."""
