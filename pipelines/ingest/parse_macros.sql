-- Parsing rules for landed export text, as DuckDB macros: the one place these rules live.
-- Registered on every ingest connection by pipelines/ingest/macros.py; pinned by tests/ingest/test_parse_macros.py.
-- Each macro returns NULL when the text cannot be parsed; the loader turns a NULL from a non-empty value into
-- a reject (required column) or leaves it NULL for the data-quality gap flags (other columns).

-- Empty-ish cells that officials type for "nothing".
CREATE OR REPLACE MACRO umkm_clean_text(s) AS
    CASE WHEN lower(trim(regexp_replace(CAST(s AS VARCHAR), '\s+', ' ', 'g')))
              IN ('', '-', '--', 'null', 'n/a', 'na', '#n/a', 'none', 'nan')
         THEN NULL
         ELSE trim(regexp_replace(CAST(s AS VARCHAR), '\s+', ' ', 'g')) END;

-- Indonesian (and English) month names and abbreviations as exporters and typists write them.
CREATE OR REPLACE MACRO umkm_month_number(name) AS
    map_extract(MAP {
        'januari': 1, 'january': 1, 'jan': 1,
        'februari': 2, 'pebruari': 2, 'february': 2, 'feb': 2, 'peb': 2,
        'maret': 3, 'march': 3, 'mar': 3,
        'april': 4, 'apr': 4,
        'mei': 5, 'may': 5,
        'juni': 6, 'june': 6, 'jun': 6,
        'juli': 7, 'july': 7, 'jul': 7,
        'agustus': 8, 'august': 8, 'agu': 8, 'agt': 8, 'agus': 8, 'ags': 8, 'aug': 8,
        'september': 9, 'sep': 9, 'sept': 9,
        'oktober': 10, 'october': 10, 'okt': 10, 'oct': 10,
        'november': 11, 'nopember': 11, 'nov': 11, 'nop': 11,
        'desember': 12, 'december': 12, 'des': 12, 'dec': 12
    }, lower(name))[1];

-- Two-digit years: below 50 is 20yy, otherwise 19yy (OSS began in 2018; cooperatives date back to the 1950s).
CREATE OR REPLACE MACRO umkm_full_year(y) AS
    CASE WHEN length(y) = 2 THEN TRY_CAST(y AS INTEGER) + CASE WHEN TRY_CAST(y AS INTEGER) < 50 THEN 2000 ELSE 1900 END
         ELSE TRY_CAST(y AS INTEGER) END;

-- Day, month (number or name) and year groups of one regexp match, as a date; NULL if impossible (31/02).
CREATE OR REPLACE MACRO umkm__date_from_parts(parts) AS
    try(make_date(
        umkm_full_year(parts.y),
        coalesce(TRY_CAST(parts.m AS INTEGER), umkm_month_number(parts.m)),
        TRY_CAST(parts.d AS INTEGER)));

-- v: lower-cased text with any weekday prefix ("jumat, ") and trailing time ("10:00:00") removed.
CREATE OR REPLACE MACRO umkm__parse_date_clean(v) AS
    CASE
        -- ISO, as written by Python, databases and xlsx date cells.
        WHEN regexp_matches(v, '^\d{4}-\d{1,2}-\d{1,2}$') THEN try_cast(v AS DATE)
        -- An Excel serial day number from an unformatted cell: 5 digits, years 1927..2173.
        WHEN regexp_matches(v, '^\d{5}(\.0+)?$')
            THEN DATE '1899-12-30' + CAST(CAST(v AS DOUBLE) AS INTEGER)
        -- Day first, always: dd/mm/yyyy, dd-mm-yy, dd.mm.yyyy.
        WHEN regexp_matches(v, '^\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2}|\d{4})$') THEN umkm__date_from_parts(
            regexp_extract(v, '^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$', ['d', 'm', 'y']))
        -- "26 Juli 2024", "5 Agt. 2024", "05-Agu-2024".
        WHEN regexp_matches(v, '^\d{1,2}[\s\-]+[a-z]+\.?[\s\-]+\d{4}$') THEN umkm__date_from_parts(
            regexp_extract(v, '^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})$', ['d', 'm', 'y']))
        -- "July 26, 2024" (Tableau-style "Day of ..." exports).
        WHEN regexp_matches(v, '^[a-z]+\.?\s+\d{1,2},?\s+\d{4}$') THEN umkm__date_from_parts(
            regexp_extract(v, '^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$', ['m', 'd', 'y']))
    END;

CREATE OR REPLACE MACRO umkm_parse_date(s) AS
    umkm__parse_date_clean(regexp_replace(regexp_replace(
        lower(trim(regexp_replace(CAST(s AS VARCHAR), '\s+', ' ', 'g'))),
        '^[a-z]+,\s*', ''),                                  -- "Jumat, 26 Juli 2024"
        '[ t]\d{1,2}[:.]\d{2}([:.]\d{2}(\.\d+)?)?$', ''));   -- "26/07/2024 10:00", ISO "...T10:00:00"

-- NIB: 13 digits. Typed as a number it loses leading zeros: 10..13 digits are restored by left-padding.
-- Scientific notation ("9,12E+12") has lost digits for good and is rejected.
CREATE OR REPLACE MACRO umkm__digits_of_code(s) AS
    regexp_replace(regexp_replace(trim(CAST(s AS VARCHAR)), '[\s''`]', '', 'g'), '\.0+$', '');

CREATE OR REPLACE MACRO umkm_parse_nib(s) AS
    CASE WHEN regexp_matches(umkm__digits_of_code(s), '^\d{10,13}$')
         THEN lpad(umkm__digits_of_code(s), 13, '0') END;

-- KBLI 2020 kelompok: 5 digits; a 4-digit value is a code of divisions 01-09 that lost its leading zero.
CREATE OR REPLACE MACRO umkm_parse_kbli(s) AS
    CASE WHEN regexp_matches(umkm__digits_of_code(s), '^\d{4,5}$')
         THEN lpad(umkm__digits_of_code(s), 5, '0') END;

-- Nomor Induk Koperasi: 16 digits, typed with or without spaces ("6471 0201 0000 0123"). A cooperative's
-- certificate number, not personal data. Scientific notation, letters for digits (O for 0) are rejected.
CREATE OR REPLACE MACRO umkm_parse_nomor_koperasi(s) AS
    CASE WHEN regexp_matches(umkm__digits_of_code(s), '^\d{16}$') THEN umkm__digits_of_code(s) END;

-- Rupiah amounts. Indonesian convention: dot groups thousands, comma marks decimals ("Rp 1.250.000.000,50").
-- A single dot followed by exactly three digits ("1.250") is a thousands dot; other single dots are decimals
-- (numbers written by software). Several comma groups ("1,250,000") are English thousands separators.
-- Numbers are parsed at scale 10 so decimals (coordinates, areas) keep their digits; rupiah rounds to sen.
CREATE OR REPLACE MACRO umkm__money_text(s) AS
    regexp_replace(regexp_replace(lower(trim(CAST(s AS VARCHAR))), '(rp\.?|idr|\s)', '', 'g'), ',-$', '');

CREATE OR REPLACE MACRO umkm__parse_number_text(v) AS
    CASE
        WHEN regexp_matches(v, '^-?\d{1,3}(\.\d{3})+(,\d+)?$')
            THEN try_cast(replace(replace(v, '.', ''), ',', '.') AS DECIMAL(38, 10))
        WHEN regexp_matches(v, '^-?\d{1,3}(,\d{3}){2,}(\.\d+)?$')
            THEN try_cast(replace(v, ',', '') AS DECIMAL(38, 10))
        WHEN regexp_matches(v, '^-?\d+,\d+$') THEN try_cast(replace(v, ',', '.') AS DECIMAL(38, 10))
        WHEN regexp_matches(v, '^-?\d+(\.\d+)?$') THEN try_cast(v AS DECIMAL(38, 10))
        WHEN regexp_matches(v, '^-?\d+(\.\d+)?e[+-]?\d+$') THEN try_cast(CAST(v AS DOUBLE) AS DECIMAL(38, 10))
    END;

CREATE OR REPLACE MACRO umkm_parse_rupiah(s) AS
    TRY_CAST(CASE WHEN regexp_matches(umkm__money_text(s), '^\(.*\)$')  -- accounting negative "(1.000)"
                  THEN -umkm__parse_number_text(trim(umkm__money_text(s), '()'))
                  ELSE umkm__parse_number_text(umkm__money_text(s)) END AS DECIMAL(20, 2));

-- Measures (coordinates, land area, scores): a single dot is a decimal point ("116.831", "-1.237"), as numeric
-- xlsx cells are rendered; only several dot groups ("1.250.000") are thousands separators.
CREATE OR REPLACE MACRO umkm__compact(s) AS regexp_replace(trim(CAST(s AS VARCHAR)), '\s', '', 'g');

CREATE OR REPLACE MACRO umkm_parse_decimal(s) AS
    CASE WHEN regexp_matches(umkm__compact(s), '^-?\d+\.\d+$') THEN try_cast(umkm__compact(s) AS DOUBLE)
         ELSE CAST(umkm__parse_number_text(umkm__compact(s)) AS DOUBLE) END;

-- Counts (members, workers): typed by people, so "1.234" is one thousand two hundred thirty-four.
CREATE OR REPLACE MACRO umkm_parse_integer(s) AS
    CASE WHEN umkm__parse_number_text(umkm__compact(s)) = floor(umkm__parse_number_text(umkm__compact(s)))
         THEN CAST(umkm__parse_number_text(umkm__compact(s)) AS BIGINT) END;

-- Personal data is never stored; only whether a value is well-formed (NULL when empty).
CREATE OR REPLACE MACRO umkm_valid_phone(s) AS
    CASE WHEN umkm_clean_text(s) IS NOT NULL
         THEN regexp_matches(regexp_replace(CAST(s AS VARCHAR), '[\s\-().]', '', 'g'), '^(\+?62|0)\d{8,12}$') END;

CREATE OR REPLACE MACRO umkm_valid_email(s) AS
    CASE WHEN umkm_clean_text(s) IS NOT NULL
         THEN regexp_matches(trim(CAST(s AS VARCHAR)), '^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$') END;

CREATE OR REPLACE MACRO umkm_valid_nik(s) AS
    CASE WHEN umkm_clean_text(s) IS NOT NULL THEN regexp_matches(umkm__digits_of_code(s), '^\d{16}$') END;

-- A rejected value is shown to staff so they can fix it, but never when it looks like personal data that was
-- typed into the wrong column (a NIK in the NIB column, a phone number, an e-mail address).
CREATE OR REPLACE MACRO umkm_mask_personal(s) AS
    CASE WHEN coalesce(umkm_valid_nik(s), false) OR coalesce(umkm_valid_phone(s), false)
              OR contains(coalesce(CAST(s AS VARCHAR), ''), '@')
         THEN '[disamarkan: tampak seperti data pribadi]'
         ELSE CAST(s AS VARCHAR) END;
