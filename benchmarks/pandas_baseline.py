"""The pandas baseline of `make bench`: the floor's two marts the way an analyst would build them without this
project (pandas read_csv / read_excel, string cleaning, groupby), written as CSV.

    python benchmarks/pandas_baseline.py RAW_DIR OUT_DIR [--region 65]

Same files and the same parsing rules as benchmarks/floor.sql (see its header); writes
registrations_by_period.csv and permits_by_month.csv.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
WILAYAH = HERE.parent / "dbt_project" / "seeds" / "reference" / "wilayah_kemendagri_2025.csv"
FAMILIES = {"daftar_nib": ("nib", 12), "daftar proyek": ("project", 27), "list izin": ("permit", 18)}
SCALES = {"mikro", "kecil", "menengah", "besar"}
COLUMNS = ("mikro", "kecil", "menengah", "besar", "tidak_diketahui")


def read_family(raw_dir: Path, family: str, width: int) -> pd.DataFrame:
    frames = []
    names = [f"c{k}" for k in range(width)]
    for path in sorted(raw_dir.rglob("*")):
        if not any(path.name.lower().startswith(p) and f == family for p, (f, _) in FAMILIES.items()):
            continue
        if path.suffix.lower() == ".csv":
            header = path.open("rb").readline()
            sep = ";" if header.count(b";") > header.count(b",") else ","
            frame = pd.read_csv(path, sep=sep, dtype=str, header=0, names=names, keep_default_na=False,
                                encoding="latin-1" if sep == ";" else "utf-8")  # fmt: skip
            frame = frame.replace("", None)
        else:
            frame = pd.read_excel(path, engine="calamine", header=0, names=names, dtype=object)
            for column in names:  # numbers back to the text a CSV holds, dates to ISO
                frame[column] = frame[column].map(_cell)
        frame["source_path"] = str(path)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def nib(series: pd.Series) -> pd.Series:
    text = series.str.strip()
    restored = text.where(~text.str.fullmatch(r"[1-9]\d{11}", na=False), "0" + text)
    return restored.where(restored.str.fullmatch(r"\d{13}", na=False))


def file_orders(frames: list[tuple[pd.DataFrame, list[str]]]) -> dict[str, str]:
    """Per file: day-first when a first part is above 12, else month-first when a second part is."""
    parts = []
    for frame, columns in frames:
        for column in columns:
            slash = frame.loc[frame[column].str.contains("/", na=False), ["source_path", column]]
            split = slash[column].str.strip().str.split("/", expand=True)
            parts.append(pd.DataFrame({"source_path": slash["source_path"],
                                       "first": pd.to_numeric(split[0], errors="coerce"),
                                       "second": pd.to_numeric(split[1], errors="coerce")}))  # fmt: skip
    merged = pd.concat(parts)
    grouped = merged.groupby("source_path").agg(first=("first", "max"), second=("second", "max"))
    return {
        path: "dmy" if row["first"] > 12 else "mdy" if row["second"] > 12 else "dmy"
        for path, row in grouped.iterrows()
    }


def dates(values: pd.Series, paths: pd.Series, orders: dict[str, str]) -> pd.Series:
    text = values.str.strip()
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    mdy = pd.to_datetime(text, format="%m/%d/%Y", errors="coerce")
    month_first = paths.map(orders).eq("mdy")
    return iso.fillna(mdy.where(month_first, dmy))


def scale(labels: pd.Series) -> pd.Series:
    word = labels.str.strip().str.lower().str.replace(r"^usaha\s+", "", regex=True)
    return word.where(word.isin(SCALES))


def regency_key(names: pd.Series) -> pd.Series:
    return names.str.strip().str.upper().str.replace(r"^KAB\.?\s+", "KABUPATEN ", regex=True)


def run(raw_dir: Path, out_dir: Path, region: str) -> None:
    nibs, projects, permits = (read_family(raw_dir, f, w) for f, w in FAMILIES.values())
    orders = file_orders([(nibs, ["c1"]), (projects, ["c4", "c16"]), (permits, ["c4", "c11"])])
    wilayah = pd.read_csv(WILAYAH, dtype=str)
    regencies = wilayah[wilayah["tingkat"] == "kab_kota"]
    codes = dict(zip(regency_key(regencies["nama"]), regencies["kode"], strict=True))

    records = pd.concat([
        pd.DataFrame({"rank": 1, "nib": nib(nibs["c0"]),
                      "registered": dates(nibs["c1"], nibs["source_path"], orders),
                      "scale": scale(nibs["c5"]), "regency": regency_key(nibs["c9"]).map(codes)}),
        pd.DataFrame({"rank": 2, "nib": nib(projects["c2"]),
                      "registered": dates(projects["c4"], projects["source_path"], orders),
                      "scale": scale(projects["c9"]), "regency": regency_key(projects["c11"]).map(codes)}),
        pd.DataFrame({"rank": 3, "nib": nib(permits["c3"]),
                      "registered": dates(permits["c4"], permits["source_path"], orders),
                      "scale": None, "regency": regency_key(permits["c7"]).map(codes)}),
    ]).dropna(subset=["nib"]).sort_values(["nib", "rank"])  # fmt: skip
    # groupby first() skips missing values: each attribute from the best-ranked record that has it.
    businesses = records.groupby("nib").agg(registered=("registered", "first"), scale=("scale", "first"),
                                             regency=("regency", "first"))  # fmt: skip
    businesses["scale"] = businesses["scale"].fillna("tidak_diketahui")

    in_region = businesses[businesses["regency"].fillna("").str.startswith(region + ".")]
    in_region = in_region.dropna(subset=["registered"])
    monthly = pd.crosstab(in_region["registered"].dt.strftime("%Y-%m"), in_region["scale"])
    for key in COLUMNS:
        if key not in monthly:
            monthly[key] = 0
    monthly = monthly.sort_index()
    out = pd.DataFrame({
        "registration_month": monthly.index,
        "registration_year": monthly.index.str[:4].astype(int),
        "new_registrations": monthly.sum(axis=1).to_numpy(),
        **{key: monthly[key].to_numpy() for key in COLUMNS},
    })  # fmt: skip
    out["registered_to_date"] = out["new_registrations"].cumsum()

    permits["nib"] = nib(permits["c3"])
    permits["issued"] = dates(permits["c11"], permits["source_path"], orders)
    permits["own_regency"] = regency_key(permits["c7"]).map(codes)
    unique = permits.sort_values("source_path", ascending=False).drop_duplicates("c1")
    located = unique.join(businesses["regency"], on="nib")
    located["regency"] = located["regency"].fillna(located["own_regency"])
    located = located[located["regency"].fillna("").str.startswith(region + ".")]
    by_month = located.groupby(located["issued"].dt.strftime("%Y-%m"), dropna=False).size()

    out_dir.mkdir(parents=True, exist_ok=True)
    out.to_csv(out_dir / "registrations_by_period.csv", index=False)
    by_month.rename("permits").rename_axis("issue_month").reset_index().to_csv(
        out_dir / "permits_by_month.csv", index=False
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--region", default="65")
    args = parser.parse_args()
    run(args.raw_dir, args.out_dir, args.region)


if __name__ == "__main__":
    main()
