#!/usr/bin/env python3
"""Builds data/us-area-codes.csv from two published datasets.

Inputs (install them first; nothing is fetched by this script):
  pip install phonenumbers==9.0.33 pyzipcode==3.0.1

* Area codes, their states and the rate-centre town of each exchange: the geocoding
  tables of libphonenumber (Apache-2.0), as shipped by the `phonenumbers` package.
  Version 9.0.33 carries the same numbering metadata as the `phonenumber` crate the
  platform validates numbers with, so every area code kept here yields valid numbers.
* ZIP codes with their town and state: the CivicSpace US ZIP Code Database (public
  domain), as shipped by the `pyzipcode` package (`zipcodes.db`).

Rules (see data/README.md):
  1. Area codes: every NPA that libphonenumber assigns to the United States and places in
     one of the 50 states or DC; kept only when every exchange the sandbox may use
     (200-999 except N11, 555, 950, 958, 959, 976) gives a valid number for lines 0000,
     5000 and 9899.
  2. Towns of an area code: the rate-centre towns of its exchanges in that state, most
     exchanges first (ties by name).
  3. ZIP of a town: its lowest ZIP with a centroid of its own in CivicSpace (delivery
     ZIPs have one; PO-box and single-firm ZIPs repeat their town's point).
  4. Up to 5 distinct ZIPs per area code, written in ascending order.
"""

import csv
import glob
import importlib
import os
import sqlite3
import sys
from collections import Counter, defaultdict

import phonenumbers
import pyzipcode

STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Washington D.C.": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
    "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND",
    "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}
CODES = set(STATES.values())
# Overlay area codes whose own geocoding entry names only their state: the area codes whose
# territory each one shares. These relations are facts published by the state utility
# commissions and NANPA and summarised in Wikipedia's "Area codes ..." articles; see
# data/README.md.
OVERLAYS = {
    220: [740], 223: [717], 227: [240, 301], 235: [573], 272: [570], 279: [916],
    283: [513], 324: [904], 326: [937], 327: [870], 329: [845], 331: [630], 339: [781],
    341: [510], 346: [281, 713, 832], 350: [209], 351: [978], 353: [608], 363: [516],
    364: [270], 369: [707], 380: [614], 385: [801], 424: [310], 430: [903], 442: [760],
    447: [217], 448: [850], 458: [541], 463: [317], 464: [708], 470: [404, 678, 770],
    475: [203], 531: [402], 534: [715], 539: [918], 551: [201], 557: [314], 564: [360],
    567: [419], 572: [405], 582: [814], 628: [415], 629: [615], 640: [609],
    645: [305, 786], 656: [813], 657: [714], 667: [410, 443], 669: [408], 680: [315],
    681: [304], 686: [804], 689: [321, 407], 725: [702], 730: [618], 737: [512],
    738: [213, 323], 743: [336], 747: [818], 748: [970], 754: [954], 762: [706],
    820: [805], 821: [864], 826: [540], 835: [484, 610], 838: [518], 839: [803],
    840: [909], 848: [732], 854: [843], 878: [412, 724], 917: [212, 347, 646, 718],
    929: [347, 718], 930: [812], 938: [256], 943: [404, 470, 678, 770],
    945: [214, 469, 972], 947: [248], 948: [757], 959: [860], 975: [816], 984: [919],
    986: [208],
}
EXCLUDED_EXCHANGES = {211, 311, 411, 511, 611, 711, 811, 911, 555, 950, 958, 959, 976}
SAMPLE_LINES = ("0000", "5000", "9899")
MAX_ZIPS = 5


def state_of(label):
    """Two-letter state of a geocoding label ("New Jersey", "Jersey City, NJ"), or None."""
    if label in STATES:
        return STATES[label]
    if ", " in label:
        code = label.rsplit(", ", 1)[1]
        return code if code in CODES else None
    return None


def load_geocoding():
    """{npa: [(prefix, label)]} for every NANP prefix of 4 or more digits."""
    folder = os.path.dirname(importlib.import_module("phonenumbers.geodata").__file__)
    entries = defaultdict(list)
    for path in sorted(glob.glob(os.path.join(folder, "data*.py"))):
        name = os.path.basename(path)[:-3]
        module = importlib.import_module("phonenumbers.geodata." + name)
        for prefix, names in module.data.items():
            if prefix.startswith("1") and len(prefix) >= 4 and "en" in names:
                entries[int(prefix[1:4])].append((prefix, names["en"]))
    return entries


def npa_state(entries):
    """State of an area code: its own entry, else the most common state of its prefixes."""
    for prefix, label in entries:
        if len(prefix) == 4:
            return state_of(label)
    votes = Counter(s for s in (state_of(label) for _, label in entries) if s)
    return votes.most_common(1)[0][0] if votes else None


def fully_valid(npa):
    """Every exchange the sandbox may pick gives valid US numbers in this area code."""
    for nxx in range(200, 1000):
        if nxx in EXCLUDED_EXCHANGES:
            continue
        for line in SAMPLE_LINES:
            number = phonenumbers.parse(f"+1{npa}{nxx}{line}")
            if not phonenumbers.is_valid_number(number):
                return False
            if phonenumbers.region_code_for_number(number) != "US":
                return False
    return True


def load_zips():
    """{(TOWN, ST): lowest ZIP of the town with a centroid of its own}."""
    db = os.path.join(os.path.dirname(pyzipcode.__file__), "zipcodes.db")
    rows = sqlite3.connect(db).execute(
        "SELECT zip, city, state, longitude, latitude FROM ZipCodes ORDER BY zip"
    ).fetchall()
    shared = Counter((lon, lat) for _, _, _, lon, lat in rows)
    towns = {}
    for zip_code, city, state, lon, lat in rows:
        if shared[(lon, lat)] == 1:
            towns.setdefault((city.upper(), state), zip_code)
    return towns


def town_labels(entries, state):
    """Towns named by the area code's prefixes in `state`: {TOWN: number of prefixes}.

    A whole-area entry naming one town ("New York, NY") counts as that town; DC is one town.
    """
    counts = Counter()
    for prefix, label in entries:
        if label == "Washington D.C.":
            counts["WASHINGTON"] += 1
        elif ", " in label:
            town, code = label.rsplit(", ", 1)
            if code == state:
                counts[town.upper()] += 1
    return counts


def towns_of(geocoding, npa, state):
    """Rate-centre towns of the area code in `state`, most exchanges first (ties by name).

    An overlay without towns of its own takes those of the area codes it shares.
    """
    counts = town_labels(geocoding[npa], state)
    if not counts:
        for shared in OVERLAYS.get(npa, []):
            counts.update(town_labels(geocoding.get(shared, []), state))
    return sorted(counts, key=lambda town: (-counts[town], town))


# ZIP codes the contract's examples use (05 §1.5: pool 201/07030, Hoboken NJ, which lies in
# area code 201): always among the ZIPs of their area code, taking the first place.
PINNED_ZIPS = {"201": ["07030"]}


def main(output):
    geocoding = load_geocoding()
    zips = load_zips()
    rows, skipped = [], []
    for npa in sorted(geocoding):
        state = npa_state(geocoding[npa])
        if state is None:
            continue
        if not fully_valid(npa):
            skipped.append(f"{npa} ({state}): not every exchange is valid in libphonenumber")
            continue
        chosen = list(PINNED_ZIPS.get(npa, []))
        for town in towns_of(geocoding, npa, state):
            zip_code = zips.get((town, state))
            if zip_code and zip_code not in chosen:
                chosen.append(zip_code)
            if len(chosen) == MAX_ZIPS:
                break
        if not chosen:
            skipped.append(f"{npa} ({state}): no town matched a ZIP")
            continue
        rows.append((f"{npa}", state, " ".join(sorted(chosen))))
    with open(output, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("AreaCode", "State", "ZipCodes"))
        writer.writerows(rows)
    print(f"{len(rows)} area codes, {len({r[1] for r in rows})} states written to {output}")
    for line in skipped:
        print("skipped", line, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/us-area-codes.csv")
