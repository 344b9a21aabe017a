"""Failed sign-ins by country with pandas: json.load each page, json_normalize the records, groupby.

Usage: python3 pandas_failed_by_country.py INTERRUPT_CODES_JSON FILE... ; prints one JSON line:
{"seconds": …, "records": …, "answer": {country: failures}} (seconds of the work, without interpreter start).
"""
import json
import sys
import time

import pandas as pd

NO_COUNTRY = "(none)"


def main() -> None:
    interrupts = set(json.loads(sys.argv[1]))
    files = sys.argv[2:]
    started = time.perf_counter()
    records = []
    for path in files:
        with open(path, "rb") as f:
            records.extend(json.load(f)["value"])
    df = pd.json_normalize(records)
    code = df["status.errorCode"]
    failed = df[(code != 0) & ~code.isin(interrupts)]
    counts = failed.groupby("location.countryOrRegion", dropna=False).size()
    seconds = time.perf_counter() - started
    answer = {}
    for country, n in counts.items():
        key = NO_COUNTRY if country is None or country == "" or (isinstance(country, float) and country != country) else country
        answer[key] = answer.get(key, 0) + int(n)
    print(json.dumps({"seconds": seconds, "records": len(df), "answer": dict(sorted(answer.items()))}))


if __name__ == "__main__":
    main()
