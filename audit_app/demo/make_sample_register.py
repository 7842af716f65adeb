"""Write the Demoshire sample GIAS files, exactly as GIAS ships its own.

The files copy the real release format: the 139 columns of
``edubasealldata`` in GIAS's order (as published in July 2024), Windows-1252,
every field quoted, dates ``dd-mm-yyyy``, CRLF line ends; and the links file
beside it. Who is in them is in :mod:`audit_app.demo.gias_sample_data`.
Telephone numbers come from Ofcom's ranges kept for drama (01632 960xxx,
0115 496 0xxx) and websites use the reserved ``.example`` domain. The (code)
values of columns the toolkit does not read (reasons opened and closed,
admissions, boarders…) are illustrative.

Re-create the committed files after changing either module with::

    python -m audit_app.demo.make_sample_register

The output depends only on the two modules: the same seed, the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

from .gias_sample_data import (
    CLOSE_REASONS,
    CONSTITUENCY_CODES,
    DISTRICT_CODES,
    GIAS_COLUMNS,
    INDEPENDENT,
    LAS,
    LAST_NAMES,
    LINK_COLUMNS,
    MEN,
    NOT_APPLICABLE,
    OPEN_REASONS,
    OTHER_LINKS,
    PHASES,
    RELIGIONS,
    SEN_NAMES,
    STATUSES,
    STREETS,
    SUCCESSIONS,
    TOWNS,
    TRUSTS,
    TYPES,
    URBAN_RURAL,
    WARDS,
    WOMEN,
    School,
    roster,
)

RELEASE = "20261101"
SEED = 990_2026
DATA_DIR = Path(__file__).parent / "data"
ESTABLISHMENTS_FILE = f"edubasealldata{RELEASE}.csv"
LINKS_FILE = f"links_edubasealldata{RELEASE}.csv"


def _date(rng: random.Random, year: int) -> str:
    return f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{year}"


def _slug(name: str) -> str:
    plain = name.replace("Æ", "Ae").replace("œ", "oe").replace("é", "e").lower()
    words = re.sub(r"[^a-z0-9 ]", "", plain).split()
    skip = {"school", "the", "of", "and", "cofe"}
    return "".join(word for word in words if word not in skip)[:28]


def _row(school: School, rng: random.Random) -> dict[str, str]:
    """Every column of one GIAS row. Each part draws from ``rng`` in a fixed order."""
    row = dict.fromkeys(GIAS_COLUMNS, "")
    row.update(_identity(school))
    pupils = _pupils(school, rng)
    row.update(_census(school, pupils, rng))
    row.update(_governance(school))
    row.update(_contact(school, rng))
    row.update(_geography(school, rng))
    row.update(_provision(school, pupils, rng))
    return row


def _identity(school: School) -> dict[str, str]:
    type_name, group_code, group_name = TYPES[school.type_code]
    low, high = school.ages or ("", "")
    college = school.type_code in {"18", "29"}
    sixth_form = high != "" and high >= 18 and school.phase in {"Secondary", "All-through"}
    nursery = low != "" and low <= 3
    open_code, open_name = OPEN_REASONS[school.open_reason]
    close_code, close_name = CLOSE_REASONS[school.close_reason]
    return {
        "URN": str(school.urn),
        "LA (code)": school.la,
        "LA (name)": LAS[school.la][0],
        "EstablishmentNumber": school.number,
        "EstablishmentName": school.name,
        "TypeOfEstablishment (code)": school.type_code,
        "TypeOfEstablishment (name)": type_name,
        "EstablishmentTypeGroup (code)": group_code,
        "EstablishmentTypeGroup (name)": group_name,
        "EstablishmentStatus (code)": school.status,
        "EstablishmentStatus (name)": STATUSES[school.status],
        "ReasonEstablishmentOpened (code)": open_code,
        "ReasonEstablishmentOpened (name)": open_name,
        "OpenDate": school.opened,
        "ReasonEstablishmentClosed (code)": close_code,
        "ReasonEstablishmentClosed (name)": close_name,
        "CloseDate": school.closed,
        "PhaseOfEducation (code)": PHASES[school.phase],
        "PhaseOfEducation (name)": school.phase,
        "StatutoryLowAge": str(low),
        "StatutoryHighAge": str(high),
        "NurseryProvision (name)": "Not applicable"
        if college
        else ("Has Nursery Classes" if nursery else "No Nursery Classes"),
        "OfficialSixthForm (code)": "0" if college else ("1" if sixth_form else "2"),
        "OfficialSixthForm (name)": "Not applicable"
        if college
        else ("Has a sixth form" if sixth_form else "Does not have a sixth form"),
        "Gender (code)": "3",
        "Gender (name)": "Mixed",
        "UKPRN": school.ukprn,
        "FurtherEducationType (name)": school.fe_type or "Not applicable",
    }


def _pupils(school: School, rng: random.Random) -> int:
    """A January census count; 0 where GIAS has none."""
    if not (school.pupils and school.status in {"1", "3"}):
        return 0
    low, high = school.ages or (0, 0)
    if school.status == "3":
        return rng.randint(24, 45)  # a small village school, proposed to close
    if school.phase == "Nursery":
        return rng.randint(60, 110)
    if school.type_code in {"14", "42"}:
        return rng.randint(30, 80)
    if school.sen:
        return rng.randint(60, 220)
    if school.phase == "Primary":
        return rng.randint(90, 240) if high - low <= 4 else rng.randint(150, 460)
    if school.phase == "All-through":
        return rng.randint(320, 760)
    return rng.randint(600, 1500)


def _census(school: School, pupils: int, rng: random.Random) -> dict[str, str]:
    if not pupils:
        return {}
    boys = round(pupils * rng.uniform(0.46, 0.54))
    census = {
        "SchoolCapacity": str(round(pupils * 1.1) + 5),
        "CensusDate": "15-01-2026",
        "NumberOfPupils": str(pupils),
        "NumberOfBoys": str(boys),
        "NumberOfGirls": str(pupils - boys),
    }
    if school.type_code not in INDEPENDENT:
        percent = round(rng.uniform(4, 36), 1)
        census["PercentageFSM"] = str(percent)
        census["FSM"] = str(round(pupils * percent / 100))
    return census


def _governance(school: School) -> dict[str, str]:
    trust_code, trust_name, multi = TRUSTS.get(school.trust, ("", "", False))
    religion_code, religion, diocese_code, diocese = RELIGIONS[school.religion]
    sponsored = school.open_reason == "sponsor"
    maintained = TYPES[school.type_code][1] == "4"
    if not trust_code:
        flag = ("0", "Not applicable")
    elif multi:
        flag = ("5", "Supported by a multi-academy trust")
    else:
        flag = ("4", "Supported by a single-academy trust")
    return {
        "ReligiousCharacter (code)": religion_code,
        "ReligiousCharacter (name)": religion,
        "ReligiousEthos (name)": "Does not apply",
        "Diocese (code)": diocese_code,
        "Diocese (name)": diocese,
        "AdmissionsPolicy (code)": "2" if school.phase == "Secondary" else "0",
        "AdmissionsPolicy (name)": "Non-selective" if school.phase == "Secondary" else "Not applicable",
        "TrustSchoolFlag (code)": flag[0],
        "TrustSchoolFlag (name)": flag[1],
        "Trusts (code)": trust_code,
        "Trusts (name)": trust_name,
        "SchoolSponsorFlag (name)": "Linked to a sponsor" if sponsored else "Not applicable",
        "SchoolSponsors (name)": trust_name if sponsored else "",
        "FederationFlag (name)": "Not under a federation" if maintained else "Not applicable",
        "PropsName": school.proprietor,
        "PreviousLA (code)": "999",
        "QABName (code)": "0",
        "QABName (name)": "Not applicable",
        "EstablishmentAccredited (code)": "0",
        "EstablishmentAccredited (name)": "Not applicable",
    }


def _contact(school: School, rng: random.Random) -> dict[str, str]:
    district, *_ = TOWNS[school.town]
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # those Royal Mail uses in the inward code
    postcode = f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    if rng.random() < 0.3:
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
    else:
        street = rng.choice(STREETS)
    address = {
        "Street": street,
        "Town": school.town,
        "County (name)": "Demoshire" if school.la == "990" else "",
        "Postcode": postcode,
        "LastChangedDate": _date(rng, 2025),
    }
    if school.status not in {"1", "3"}:
        return address
    if rng.random() < 0.65:
        head = (rng.choice(("Mrs", "Ms", "Miss", "Dr")), rng.choice(WOMEN))
    else:
        head = (rng.choice(("Mr", "Mr", "Dr")), rng.choice(MEN))
    phone = "01154960" if school.la == "991" else "01632960"
    scheme = rng.choice(("http://www.", "https://www.", "www."))
    return {
        **address,
        "SchoolWebsite": f"{scheme}{_slug(school.name)}.example",
        "TelephoneNum": f"{phone}{rng.randint(0, 999):03d}",
        "HeadTitle (name)": head[0],
        "HeadFirstName": head[1],
        "HeadLastName": rng.choice(LAST_NAMES),
        "HeadPreferredJobTitle": "Principal" if school.trust or school.ukprn else "Headteacher",
    }


def _geography(school: School, rng: random.Random) -> dict[str, str]:
    _, district, constituency, urban, easting, northing = TOWNS[school.town]
    _, gss_la, gor_code, gor_name = LAS[school.la]
    country = "W" if school.la == "993" else "E"
    msoa, lsoa = rng.randint(1, 40), rng.randint(0, 4)
    return {
        "GOR (code)": gor_code,
        "GOR (name)": gor_name,
        "DistrictAdministrative (code)": DISTRICT_CODES[district],
        "DistrictAdministrative (name)": district,
        "AdministrativeWard (code)": f"{country}05999{rng.randint(100, 999)}",
        "AdministrativeWard (name)": f"{school.town} {rng.choice(WARDS)}",
        "ParliamentaryConstituency (code)": CONSTITUENCY_CODES[constituency],
        "ParliamentaryConstituency (name)": constituency,
        "UrbanRural (code)": urban,
        "UrbanRural (name)": URBAN_RURAL[urban],
        "GSSLACode (name)": gss_la,
        "Easting": str(easting + rng.randint(-900, 900)),
        "Northing": str(northing + rng.randint(-900, 900)),
        "MSOA (name)": f"{district} {msoa:03d}",
        "LSOA (name)": f"{district} {msoa:03d}{'ABCDE'[lsoa]}",
        "MSOA (code)": f"{country}02999{msoa:03d}",
        "LSOA (code)": f"{country}0199{msoa:03d}{lsoa}",
        "UPRN": f"1000{rng.randint(10_000_000, 99_999_999)}",
        "Country (name)": "Wales" if school.la == "993" else "",
    }


def _provision(school: School, pupils: int, rng: random.Random) -> dict[str, str]:
    independent = school.type_code in INDEPENDENT
    boarding = school.type_code == "08"
    is_open = school.status in {"1", "3"}
    # Ofsted grades schools; colleges here, universities, online providers and
    # Welsh schools are not graded, and new academies have yet to be inspected.
    graded = school.type_code not in {"18", "29", "30", "49"}
    inspected = _date(rng, rng.randint(2019, 2025))
    rating = rng.choice(("Good", "Good", "Good", "Outstanding", "Requires improvement"))
    provision = {
        "Boarders (code)": "2" if boarding else "1",
        "Boarders (name)": "Boarding school" if boarding else "No boarders",
        "SpecialClasses (code)": "1" if school.sen else "2",
        "SpecialClasses (name)": "Has Special Classes" if school.sen else "No Special Classes",
        "OfstedLastInsp": inspected if is_open and graded else "",
        "OfstedRating (name)": rating if is_open and graded and school.opened[-4:] < "2024" else "",
        "OfstedSpecialMeasures (code)": "0",
        "OfstedSpecialMeasures (name)": "Not applicable",
        "Section41Approved (name)": "Approved" if independent and school.sen else "Not applicable",
        "TypeOfResourcedProvision (name)": "Not applicable",
        "PlacesPRU": str(pupils + 10) if school.type_code in {"14", "42"} and pupils else "",
        **{f"SEN{n} (name)": SEN_NAMES[need] for n, need in enumerate(school.sen, 1)},
    }
    for column in NOT_APPLICABLE:
        provision[column] = "Not applicable"
    if independent:
        provision["InspectorateName (name)"] = "ISI" if school.type_code == "11" else "Ofsted"
        provision["BoardingEstablishment (name)"] = "Has boarders" if boarding else "Does not have boarders"
        if school.sen and pupils:
            provision["SENStat"] = str(pupils * 9 // 10)
            provision["SENNoStat"] = str(pupils - pupils * 9 // 10)
    if school.proprietor.endswith("Limited"):
        provision["CHNumber"] = f"0{rng.randint(1_000_000, 9_999_999)}"
    return provision


def _links(schools: dict[int, School]) -> list[tuple[str, ...]]:
    rows = []
    for old, new, kind, when in SUCCESSIONS:
        rows.append((str(old), str(new), schools[new].name, f"Successor{kind}", when))
        rows.append((str(new), str(old), schools[old].name, f"Predecessor{kind}", when))
    for first, second, when in OTHER_LINKS:
        rows.append((str(first), str(second), schools[second].name, "Other", when))
        rows.append((str(second), str(first), schools[first].name, "Other", when))
    return sorted(rows, key=lambda row: (int(row[0]), int(row[1])))


def write_sample_register(directory: Path = DATA_DIR) -> tuple[Path, Path]:
    """Write both files into ``directory``; return their paths."""
    rng = random.Random(SEED)
    schools = sorted(roster(), key=lambda school: school.urn)
    establishments = directory / ESTABLISHMENTS_FILE
    links = directory / LINKS_FILE
    # GIAS quotes every field, ends lines with CRLF and encodes in Windows-1252.
    with open(establishments, "w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(GIAS_COLUMNS)
        for school in schools:
            row = _row(school, rng)
            writer.writerow(row[column] for column in GIAS_COLUMNS)
    with open(links, "w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(LINK_COLUMNS)
        writer.writerows(_links({school.urn: school for school in schools}))
    return establishments, links


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    for path in write_sample_register(args.directory):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
