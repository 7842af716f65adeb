"""Who is in the Demoshire sample GIAS file, and the GIAS vocabulary it is written in.

Demoshire (LA code 990) is a fictional two-tier county with a city, market
towns and villages; Exampleton (991) its fictional unitary neighbour. The
roster gives each establishment only what differs from the defaults;
:mod:`audit_app.demo.make_sample_register` fills in every other column.

Nothing here points at a real place or person: postcodes use the unused
areas DM, XE and XW; statistical-geography codes the unused ``999`` blocks;
trusts, dioceses and proprietors are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off
# The edubasealldata header, name for name and in GIAS's order, as in the
# release of 17 July 2024 (139 columns; "RSCRegion (name)" had just gone).
GIAS_COLUMNS = (
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)", "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)",
    "OfficialSixthForm (code)", "OfficialSixthForm (name)", "Gender (code)", "Gender (name)",
    "ReligiousCharacter (code)", "ReligiousCharacter (name)", "ReligiousEthos (name)",
    "Diocese (code)", "Diocese (name)", "AdmissionsPolicy (code)", "AdmissionsPolicy (name)",
    "SchoolCapacity", "SpecialClasses (code)", "SpecialClasses (name)", "CensusDate",
    "NumberOfPupils", "NumberOfBoys", "NumberOfGirls", "PercentageFSM",
    "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)",
    "Federations (code)", "Federations (name)", "UKPRN", "FEHEIdentifier",
    "FurtherEducationType (name)", "OfstedLastInsp", "OfstedSpecialMeasures (code)",
    "OfstedSpecialMeasures (name)", "LastChangedDate", "Street", "Locality", "Address3",
    "Town", "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum", "HeadTitle (name)",
    "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle", "BSOInspectorateName (name)",
    "InspectorateReport", "DateOfLastInspectionVisit", "NextInspectionVisit",
    "TeenMoth (name)", "TeenMothPlaces", "CCF (name)", "SENPRU (name)", "EBD (name)",
    "PlacesPRU", "FTProv (name)", "EdByOther (name)", "Section41Approved (name)",
    *(f"SEN{n} (name)" for n in range(1, 14)),
    "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll",
    "ResourcedProvisionCapacity", "SenUnitOnRoll", "SenUnitCapacity", "GOR (code)",
    "GOR (name)", "DistrictAdministrative (code)", "DistrictAdministrative (name)",
    "AdministrativeWard (code)", "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)", "ParliamentaryConstituency (name)",
    "UrbanRural (code)", "UrbanRural (name)", "GSSLACode (name)", "Easting", "Northing",
    "MSOA (name)", "LSOA (name)", "InspectorateName (name)", "SENStat", "SENNoStat",
    "BoardingEstablishment (name)", "PropsName", "PreviousLA (code)", "PreviousLA (name)",
    "PreviousEstablishmentNumber", "OfstedRating (name)", "Country (name)", "UPRN",
    "SiteName", "QABName (code)", "QABName (name)", "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)", "QABReport", "CHNumber", "MSOA (code)", "LSOA (code)",
    "FSM", "AccreditationExpiryDate",
)
LINK_COLUMNS = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")

# type code: (type name, group code, group name)
TYPES = {
    "01": ("Community school", "4", "Local authority maintained schools"),
    "02": ("Voluntary aided school", "4", "Local authority maintained schools"),
    "03": ("Voluntary controlled school", "4", "Local authority maintained schools"),
    "05": ("Foundation school", "4", "Local authority maintained schools"),
    "07": ("Community special school", "5", "Special schools"),
    "08": ("Non-maintained special school", "5", "Special schools"),
    "10": ("Other independent special school", "5", "Special schools"),
    "11": ("Other independent school", "3", "Independent schools"),
    "12": ("Foundation special school", "5", "Special schools"),
    "14": ("Pupil referral unit", "4", "Local authority maintained schools"),
    "15": ("Local authority nursery school", "4", "Local authority maintained schools"),
    "18": ("Further education", "1", "Colleges"),
    "24": ("Secure units", "9", "Other types"),
    "28": ("Academy sponsor led", "10", "Academies"),
    "29": ("Higher education institutions", "2", "Universities"),
    "30": ("Welsh establishment", "6", "Welsh schools"),
    "32": ("Special post 16 institution", "9", "Other types"),
    "34": ("Academy converter", "10", "Academies"),
    "35": ("Free schools", "11", "Free Schools"),
    "40": ("University technical college", "11", "Free Schools"),
    "42": ("Academy alternative provision converter", "10", "Academies"),
    "44": ("Academy special converter", "10", "Academies"),
    "45": ("Academy 16-19 converter", "10", "Academies"),
    "47": ("Children's centre", "12", "Children's centres"),
    "49": ("Online provider", "13", "Online provider"),
}
STATUSES = {"1": "Open", "2": "Closed", "3": "Open, but proposed to close", "4": "Proposed to open"}
PHASES = {"Not applicable": "0", "Nursery": "1", "Primary": "2", "Secondary": "4",
          "16 plus": "6", "All-through": "7"}
OPEN_REASONS = {"": ("00", "Not applicable"), "converter": ("10", "Academy Converter"),
                "sponsor": ("11", "Academy Sponsor Led"), "free": ("12", "Academy Free School"),
                "new": ("05", "New Provision"), "merger": ("01", "Result of Amalgamation")}
CLOSE_REASONS = {"": ("00", "Not applicable"), "converter": ("10", "Academy Converter"),
                 "merger": ("01", "Result of Amalgamation/Merger"), "closure": ("03", "Closure")}
RELIGIONS = {"": ("00", "Does not apply", "0000", "Not applicable"),
             "CE": ("02", "Church of England", "CE99", "Diocese of Demchester"),
             "RC": ("03", "Roman Catholic", "RC99", "Roman Catholic Diocese of Oakbridge")}
# trust key: (code, name, multi-academy trust?)
TRUSTS = {
    "KLT": ("17801", "Kingfisher Learning Trust", True),
    "DLP": ("17802", "Demoshire Learning Partnership", True),
    "BCC": ("17803", "Blessed Cecilia Catholic Academy Trust", True),
    "HLT": ("17804", "Horizon Learning Trust", True),
    "DDA": ("17805", "Diocese of Demchester Academies Trust", True),
    "LAN": ("17806", "The Lantern Education Trust", False),
    "UTC": ("17807", "Demoshire UTC Trust", False),
    "DSF": ("17808", "Demchester Sixth Form Academy Trust", False),
    "EST": ("17901", "Exampleton Schools Trust", True),
}
# town: (postcode district, district, constituency, urban/rural, easting, northing)
TOWNS = {
    "Demchester": ("DM1", "Demchester", "Demchester", "C1", 452100, 331400),
    "Oakbridge": ("DM7", "Oakbridge and Saltmere", "Oakbridge and Saltmere", "C1", 446300, 338900),
    "Saltmere": ("DM11", "Oakbridge and Saltmere", "Oakbridge and Saltmere", "E1", 440800, 342600),
    "Fenwick Market": ("DM9", "Fenwick Vale", "Fenwick and the Tolleys", "E1", 460500, 325200),
    "Upper Tolley": ("DM13", "Fenwick Vale", "Fenwick and the Tolleys", "F1", 463900, 319800),
    "Wyvernham": ("DM15", "Fenwick Vale", "Fenwick and the Tolleys", "F1", 457300, 316700),
    "Brackenby": ("DM12", "Demchester", "Demchester", "E1", 449200, 324900),
    "Kestrel Cross": ("DM14", "Oakbridge and Saltmere", "Oakbridge and Saltmere", "E1", 443700, 329100),
    "Lowmoor": ("DM16", "Fenwick Vale", "Fenwick and the Tolleys", "F1", 466100, 334800),
    "Exampleton": ("XE1", "Exampleton", "Exampleton", "C1", 471200, 341900),
    "Testbury": ("XE8", "Exampleton", "Exampleton", "E1", 476800, 337300),
    "Aberenghraifft": ("XW3", "Sir Enghraifft", "Enghraifft", "F1", 310400, 268200),
}
DISTRICT_CODES = {"Demchester": "E07999901", "Oakbridge and Saltmere": "E07999902",
                  "Fenwick Vale": "E07999903", "Exampleton": "E06999904",
                  "Sir Enghraifft": "W06999905"}
CONSTITUENCY_CODES = {"Demchester": "E14999901", "Oakbridge and Saltmere": "E14999902",
                      "Fenwick and the Tolleys": "E14999903", "Exampleton": "E14999904",
                      "Enghraifft": "W07999905"}
URBAN_RURAL = {"C1": "(England/Wales) Urban city and town",
               "E1": "(England/Wales) Rural town and fringe", "F1": "(England/Wales) Rural village"}
LAS = {"990": ("Demoshire", "E10999901", "E", "East Midlands"),
       "991": ("Exampleton", "E06999904", "E", "East Midlands"),
       "993": ("Sir Enghraifft", "W06999905", "W", "Wales (pseudo)")}
STREETS = ("Church Lane", "Abbey Road", "Mill Street", "Station Road", "Meadow Way", "The Green",
           "Kingfisher Drive", "Orchard Close", "Victoria Street", "Chapel Walk", "Long Causeway",
           "Tolley Road", "Ferrers Avenue", "Saxon Way", "Beacon Hill", "Holloway Lane")
WOMEN = ("Siân", "Zoë", "Renée", "Aoife", "Priya", "Helen", "Fatima", "Rebecca", "Anaïs",
         "Nadia", "Ruth", "Claire", "Beatriz", "Jo")
MEN = ("Chidi", "Tomasz", "Gareth", "Olu", "Joseph", "Mark", "Owen", "Daniel", "Imran", "Simon")
LAST_NAMES = ("O’Donnell", "Whitfield", "Nwosu", "Kowalski", "Brontë", "Patel", "Ashworth",
              "Hughes", "Ferreira", "Khan", "Lindqvist", "Marsh", "Okafor", "Thwaite", "Campbell",
              "Dubois", "Egerton", "Fairclough", "Gallagher", "Hadley", "Iqbal", "Jennings")
SEN_NAMES = {"ASD": "ASD - Autistic Spectrum Disorder", "SLD": "SLD - Severe Learning Difficulty",
             "PMLD": "PMLD - Profound and Multiple Learning Difficulty",
             "MLD": "MLD - Moderate Learning Difficulty",
             "SEMH": "SEMH - Social, Emotional and Mental Health",
             "SLCN": "SLCN - Speech, language and Communication", "HI": "HI - Hearing Impairment",
             "PD": "PD - Physical Disability"}
WARDS = ("North", "South", "Central", "East", "West")
INDEPENDENT = {"08", "10", "11", "32"}  # proprietors other than a local authority or trust
NOT_APPLICABLE = ("BSOInspectorateName (name)", "TeenMoth (name)", "CCF (name)",
                  "SENPRU (name)", "EBD (name)", "EdByOther (name)")
# fmt: on


@dataclass(frozen=True)
class School:
    """One row of the sample, saying only what differs from the defaults."""

    urn: int
    name: str
    type_code: str
    phase: str
    ages: tuple[int, int] | None
    town: str
    number: str = ""  # EstablishmentNumber
    la: str = "990"
    status: str = "1"
    opened: str = ""
    open_reason: str = ""
    closed: str = ""
    close_reason: str = ""
    trust: str = ""
    religion: str = ""
    sen: tuple[str, ...] = ()
    ukprn: str = ""
    fe_type: str = ""
    proprietor: str = ""
    pupils: bool = True  # False: GIAS holds no census count (colleges, closed)


def roster() -> list[School]:
    s = School
    dem, oak, fen, sal = "Demchester", "Oakbridge", "Fenwick Market", "Saltmere"
    pri, sec, na = "Primary", "Secondary", "Not applicable"
    return [
        # Local authority maintained schools: s175.
        s(120101, "Abbey Fields Community Primary School", "01", pri, (3, 11), dem, "2001"),
        s(147230, "Oakbridge Community Primary School", "01", pri, (3, 11), oak, "2002",
          opened="01-09-2019", open_reason="merger"),
        s(120103, "Saltmere Infant School", "01", pri, (4, 7), sal, "2003"),
        s(120104, "Saltmere Junior School", "01", pri, (7, 11), sal, "2004"),
        s(120105, "Lowmoor Community Primary School", "01", pri, (4, 11), "Lowmoor", "2005"),
        s(120106, "Harebell Lane Nursery and Infant School", "01", pri, (3, 7), dem, "2006"),
        s(120107, "Wyvernham School", "01", sec, (11, 16), "Wyvernham", "4001"),
        s(120201, "St Mary’s CofE Primary School", "03", pri, (4, 11), fen, "3003",
          religion="CE"),
        s(120202, "Notre Dame – Sacré Cœur Catholic Primary School", "02", pri, (4, 11), dem,
          "3301", religion="RC"),
        s(120203, "St Aidan’s Church of England Primary School", "02", pri, (4, 11), oak, "3302",
          religion="CE"),
        s(120204, "Upper Tolley Church of England Primary School", "03", pri, (4, 11),
          "Upper Tolley", "3004", status="3", closed="31-08-2027", close_reason="closure",
          religion="CE"),
        s(120205, "Wyvernham Church of England Primary School", "02", pri, (4, 11), "Wyvernham",
          "3303", religion="CE"),
        s(120301, "Brackenby Primary School", "05", pri, (4, 11), "Brackenby", "5201"),
        s(120302, "Kestrel Cross High School", "05", sec, (11, 18), "Kestrel Cross", "5401"),
        s(120401, "Riverside Nursery School", "15", "Nursery", (2, 5), dem, "1001"),
        s(120501, "Hollybank School", "07", "All-through", (2, 19), dem, "7001",
          sen=("SLD", "PMLD", "ASD")),
        s(120502, "The Meadows School", "12", sec, (11, 19), oak, "7002", sen=("MLD", "SLCN")),
        s(131000, "The Bridge Short Stay School", "14", na, (11, 16), dem, "1100", sen=("SEMH",)),
        # Academies and free schools: s157, the trust is the proprietor.
        s(138010, "Ætheling Academy", "28", sec, (11, 18), dem, "4002", opened="01-09-2012",
          open_reason="sponsor", trust="KLT"),
        s(139850, "St Edmund’s Catholic Academy", "34", sec, (11, 16), oak, "4601",
          opened="01-09-2013", open_reason="converter", trust="BCC", religion="RC"),
        s(139851, "St Joseph’s Catholic Primary School, Brackenby", "34", pri, (4, 11),
          "Brackenby", "3601", opened="01-09-2013", open_reason="converter", trust="BCC",
          religion="RC"),
        s(140210, "Saltmere Academy", "34", sec, (11, 16), sal, "4004", opened="01-02-2014",
          open_reason="converter", trust="DLP"),
        s(141900, "Oakbridge Primary Academy", "28", pri, (4, 11), oak, "2007",
          opened="01-04-2015", open_reason="sponsor", trust="KLT"),
        s(142100, "Demoshire University Technical College", "40", sec, (14, 19), dem, "4006",
          opened="01-09-2015", open_reason="free", trust="UTC"),
        s(142800, "Oakbridge Grange Primary School", "34", pri, (4, 11), oak, "2009",
          opened="01-12-2015", open_reason="converter", trust="DLP"),
        s(143650, "Brackenby Park School", "28", sec, (11, 16), "Brackenby", "4005",
          opened="01-11-2016", open_reason="sponsor", trust="KLT"),
        s(144500, "Fenwick Market Primary Academy", "34", pri, (3, 11), fen, "2008",
          opened="01-09-2017", open_reason="converter", trust="DLP"),
        s(145300, "Kestrel Cross Special Academy", "44", na, (4, 19), "Kestrel Cross", "7003",
          opened="01-01-2018", open_reason="converter", trust="KLT", sen=("ASD", "SLCN")),
        s(146100, "St Peter’s CofE Primary Academy", "34", pri, (4, 11), dem, "3304",
          opened="01-09-2018", open_reason="converter", trust="DDA", religion="CE"),
        s(147700, "Horizon Academy", "42", na, (11, 16), dem, "1101", opened="01-04-2020",
          open_reason="converter", trust="HLT", sen=("SEMH",)),
        s(148900, "The Lantern Free School", "35", pri, (4, 11), "Kestrel Cross", "2010",
          opened="01-09-2021", open_reason="free", trust="LAN"),
        s(149100, "Westgate Primary Academy", "28", pri, (4, 11), dem, "2015",
          opened="01-03-2022", open_reason="sponsor", trust="KLT"),
        s(150420, "Demchester Academy", "34", sec, (11, 18), dem, "4003", opened="01-09-2024",
          open_reason="converter", trust="DLP"),
        # Independent schools: s157 and the Independent School Standards.
        s(122950, "Fenwick Hall School", "11", "All-through", (3, 18), fen, "6001",
          proprietor="Fenwick Hall School Trust Limited"),
        s(149500, "Oak Tree House School", "10", na, (8, 19), oak, "6002", opened="15-06-2022",
          open_reason="new", sen=("ASD", "SEMH"),
          proprietor="Brightwater Care and Education Limited"),
        # Non-maintained special school.
        s(122800, "Elmhurst School for Deaf Children", "08", na, (3, 19), sal, "7004",
          sen=("HI", "SLCN"), proprietor="The Elmhurst Trust"),
        # Colleges: s175(3), (3A) and (3B).
        s(130780, "Demoshire College", "18", "16 plus", (16, 99), dem, ukprn="10099101",
          fe_type="General Further Education College", pupils=False),
        s(130790, "Oakbridge Sixth Form College", "18", "16 plus", (16, 19), oak,
          ukprn="10099102", fe_type="Sixth Form College (General)", pupils=False),
        s(144900, "Ravensmoor Specialist College", "32", "16 plus", (16, 25), "Lowmoor",
          ukprn="10099103", sen=("PMLD", "PD"), proprietor="Ravensmoor Trust"),
        s(151200, "Demchester Sixth Form Academy", "45", "16 plus", (16, 19), dem, "4007",
          opened="01-04-2025", open_reason="converter", trust="DSF", ukprn="10099104"),
        # Closed: an import leaves these out, or marks them closed.
        s(120108, "Demchester High School", "01", sec, (11, 18), dem, "4009", status="2",
          closed="31-08-2024", close_reason="converter", pupils=False),
        s(120109, "Fenwick Market Infant School", "01", pri, (4, 7), fen, "2013", status="2",
          closed="31-08-2011", close_reason="merger", pupils=False),
        s(136420, "Fenwick Market Primary School", "01", pri, (3, 11), fen, "2014",
          status="2", opened="01-09-2011", open_reason="merger", closed="31-08-2017",
          close_reason="converter", pupils=False),
        s(120110, "Fenwick Market Middle School", "01", "Not applicable", (9, 13), fen, "4010",
          status="2", closed="31-07-2021", close_reason="closure", pupils=False),
        s(120112, "Oakbridge Infant School", "01", pri, (4, 7), oak, "2011", status="2",
          closed="31-08-2019", close_reason="merger", pupils=False),
        s(120113, "Oakbridge Junior School", "01", pri, (7, 11), oak, "2012", status="2",
          closed="31-08-2019", close_reason="merger", pupils=False),
        # Not open yet.
        s(152300, "Kestrel Cross Free School", "35", sec, (11, 16), "Kestrel Cross", "4008",
          status="4", opened="01-09-2027", open_reason="free", trust="KLT", pupils=False),
        # Outside the s175/s157 audit.
        s(133900, "University of Demoshire", "29", na, None, dem, ukprn="10099105",
          pupils=False),
        s(134500, "Ravensmoor Secure Children’s Home", "24", na, (10, 17), "Lowmoor",
          pupils=False),
        s(152000, "Demoshire Online School", "49", sec, (11, 16), dem, pupils=False),
        s(200310, "Lowmoor Children’s Centre", "47", "Not applicable", (0, 5), "Lowmoor",
          pupils=False),
        s(200311, "Demchester Sure Start Children’s Centre", "47", na, (0, 5), dem, status="2",
          closed="31-03-2016", close_reason="closure", pupils=False),
        s(401234, "Ysgol Gynradd Glan-yr-Afon", "30", pri, (3, 11), "Aberenghraifft", "2001",
          la="993"),
        # Exampleton, the neighbouring LA: in only when a partnership covers 991.
        s(121001, "Exampleton Community Primary School", "01", pri, (4, 11), "Exampleton",
          "2001", la="991"),
        s(121002, "Testbury St John’s CofE Primary School", "03", pri, (4, 11), "Testbury",
          "3001", la="991", religion="CE"),
        s(121003, "Exampleton Special School", "07", na, (3, 19), "Exampleton", "7001",
          la="991", sen=("SLD", "ASD")),
        s(130800, "Exampleton College", "18", "16 plus", (16, 99), "Exampleton", la="991",
          ukprn="10099201", fe_type="General Further Education College", pupils=False),
        s(138500, "Exampleton Academy", "34", sec, (11, 18), "Exampleton", "4001", la="991",
          opened="01-08-2012", open_reason="converter", trust="EST"),
    ]  # fmt: skip


# (old URN, new URN, link type from the old side, date)
SUCCESSIONS = (
    (120108, 150420, "", "31-08-2024"),
    (120109, 136420, "", "31-08-2011"),
    (136420, 144500, "", "31-08-2017"),
    (120112, 147230, " - amalgamated", "31-08-2019"),
    (120113, 147230, " - amalgamated", "31-08-2019"),
)
OTHER_LINKS = ((120501, 145300, ""),)  # an "Other" link: not succession
