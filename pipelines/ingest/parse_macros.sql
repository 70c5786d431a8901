-- Parsing rules for landed export text, as DuckDB macros: the one place these rules live.
-- Registered on every ingest connection by pipelines/ingest/macros.py; pinned by tests/ingest/test_parse_macros.py.
-- Each macro returns NULL when the text cannot be parsed; the loader turns a NULL from a non-empty value into
-- a reject (required column) or leaves it NULL for the data-quality gap flags (other columns).
-- Each public macro below is an inner macro applied to normalised text (umkm__<x>_of_plain, umkm__<x>_of): DuckDB
-- expands a macro's argument at every use, so nesting raw-text macros multiplied the expression (seconds of planning
-- per sheet, the same regex run many times per cell). The loader (typed_stages.py) computes each normalised form once,
-- in a stage of its own, and applies the inner macros to it: the same rules, by construction the same results.

-- Spreadsheet text as exporters leave it: HTML line breaks ("<br>") from web report screens, non-breaking and
-- other Unicode spaces, control characters (NUL, tabs, line feeds inside a cell) all become one plain space.
CREATE OR REPLACE MACRO umkm__without_line_breaks(s) AS
    CASE WHEN contains(s, '<') THEN regexp_replace(s, '(?i)<br\s*/?>', ' ', 'g') ELSE s END;

CREATE OR REPLACE MACRO umkm__plain_spaces(s) AS
    trim(regexp_replace(umkm__without_line_breaks(CAST(s AS VARCHAR)),
        '[\s[:cntrl:]\x{00A0}\x{1680}\x{2000}-\x{200B}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]+',
        ' ', 'g'));

-- Empty-ish cells that officials type for "nothing".
CREATE OR REPLACE MACRO umkm__clean_of_plain(p) AS
    CASE WHEN lower(p) IN ('', '-', '--', 'null', 'n/a', 'na', '#n/a', 'none', 'nan') THEN NULL ELSE p END;

CREATE OR REPLACE MACRO umkm_clean_text(s) AS umkm__clean_of_plain(umkm__plain_spaces(s));

-- Free text (names of businesses, addresses, organisers, document names) sometimes carries a person's phone
-- number, e-mail address or NIK: "Nama (0852...)", "SPPL a.n. Nama 0812...". They are replaced at landing, so
-- they reach no table. The cheap guard keeps the three replacements off the cells that cannot hold any.
CREATE OR REPLACE MACRO umkm__mask_personal_in_text(t) AS
    CASE WHEN regexp_matches(t, '@|\d{4}[\s\-]?\d{4}')
         THEN regexp_replace(regexp_replace(regexp_replace(t,
             '[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}', '[disamarkan]', 'g'),
             '(\+?62|\b0)[\s\-]?8\d{1,3}[\s\-]?\d{3,4}[\s\-]?\d{3,5}\b', '[disamarkan]', 'g'),
             '\b\d{4}[\s\-]?\d{4}[\s\-]?\d{4}[\s\-]?\d{4}\b', '[disamarkan]', 'g')
         ELSE t END;

CREATE OR REPLACE MACRO umkm_clean_free_text(s) AS umkm__mask_personal_in_text(umkm_clean_text(s));

-- Indonesian (and English) month names and abbreviations as exporters and typists write them.
CREATE OR REPLACE MACRO umkm_month_number(name) AS
    map_extract(MAP {
        'januari': 1, 'january': 1, 'jan': 1,
        'februari': 2, 'pebruari': 2, 'february': 2, 'feb': 2, 'peb': 2, 'febr': 2, 'pebr': 2,
        'maret': 3, 'march': 3, 'mar': 3, 'mrt': 3, 'mart': 3,
        'april': 4, 'apr': 4,
        'mei': 5, 'may': 5,
        'juni': 6, 'june': 6, 'jun': 6, 'jn': 6,
        'juli': 7, 'july': 7, 'jul': 7, 'jl': 7,
        'agustus': 8, 'august': 8, 'agu': 8, 'agt': 8, 'agus': 8, 'ags': 8, 'agst': 8, 'aug': 8,
        'september': 9, 'sep': 9, 'sept': 9,
        'oktober': 10, 'october': 10, 'okt': 10, 'oct': 10, 'oktb': 10,
        'november': 11, 'nopember': 11, 'nov': 11, 'nop': 11, 'novb': 11, 'nopb': 11,
        'desember': 12, 'december': 12, 'des': 12, 'dec': 12, 'desb': 12
    }, lower(name))[1];

-- Two-digit years: below 50 is 20yy, otherwise 19yy (OSS began in 2018; cooperatives date back to the 1950s).
CREATE OR REPLACE MACRO umkm_full_year(y) AS
    CASE WHEN length(y) = 2 THEN TRY_CAST(y AS INTEGER) + CASE WHEN TRY_CAST(y AS INTEGER) < 50 THEN 2000 ELSE 1900 END
         ELSE TRY_CAST(y AS INTEGER) END;

-- Day, month (number or name) and year groups of one regexp match, as a date; NULL if impossible (31/02).
-- The match is bound once, as a lambda's parameter: written out, its regexp_extract was expanded at each of the
-- seven uses of parts (umkm_full_year reads y three times), 28 copies per umkm__parse_date_clean, which made a
-- date column cost ~30 ms of planning per sheet and ran the regular expression again for each copy.
CREATE OR REPLACE MACRO umkm__date_from_parts(parts) AS
    list_transform([parts], lambda p: try(make_date(
        umkm_full_year(p.y),
        coalesce(TRY_CAST(p.m AS INTEGER), umkm_month_number(p.m)),
        TRY_CAST(p.d AS INTEGER))))[1];

-- Numeric dates written in the exporting machine's locale: "13/01/23" (day first, the Indonesian default) or
-- "01/13/2023" (month first, some Tableau "Day of ..." downloads). Which one a column holds is decided per file
-- and column from the values by the loader (pipelines/ingest/date_order.py) and passed in as month_first.
CREATE OR REPLACE MACRO umkm__numeric_date_pattern() AS '^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$';

-- v: lower-cased text with any weekday prefix ("jumat, ") and trailing time ("10:00:00") removed.
CREATE OR REPLACE MACRO umkm__parse_date_clean(v, month_first) AS
    CASE
        -- ISO, as written by Python, databases and xlsx date cells.
        WHEN regexp_matches(v, '^\d{4}-\d{1,2}-\d{1,2}$') THEN try_cast(v AS DATE)
        -- An Excel serial day number from an unformatted cell: 5 digits, years 1927..2173.
        WHEN regexp_matches(v, '^\d{5}(\.0+)?$')
            THEN DATE '1899-12-30' + CAST(CAST(v AS DOUBLE) AS INTEGER)
        -- dd/mm/yyyy, dd-mm-yy, dd.mm.yyyy; or mm/dd/yyyy where the column was decided month-first.
        WHEN regexp_matches(v, umkm__numeric_date_pattern()) THEN CASE WHEN month_first
            THEN umkm__date_from_parts(regexp_extract(v, umkm__numeric_date_pattern(), ['m', 'd', 'y']))
            ELSE umkm__date_from_parts(regexp_extract(v, umkm__numeric_date_pattern(), ['d', 'm', 'y'])) END
        -- "26 Juli 2024", "5 Agt. 2024", "05-Agu-2024".
        WHEN regexp_matches(v, '^\d{1,2}[\s\-]+[a-z]+\.?[\s\-]+\d{4}$') THEN umkm__date_from_parts(
            regexp_extract(v, '^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})$', ['d', 'm', 'y']))
        -- "July 26, 2024" (Tableau-style "Day of ..." exports).
        WHEN regexp_matches(v, '^[a-z]+\.?\s+\d{1,2},?\s+\d{4}$') THEN umkm__date_from_parts(
            regexp_extract(v, '^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$', ['m', 'd', 'y']))
    END;

CREATE OR REPLACE MACRO umkm__date_text_of_plain(p) AS
    regexp_replace(regexp_replace(lower(p),
        '^[a-z]+,\s*', ''),                                  -- "Jumat, 26 Juli 2024"
        '[ t]\d{1,2}[:.]\d{2}([:.]\d{2}(\.\d+)?)?(\s*[ap]\.?m\.?)?$', '');   -- "26/07/2024 10:00", "...9:15:00 AM"

CREATE OR REPLACE MACRO umkm__date_text(s) AS umkm__date_text_of_plain(umkm__plain_spaces(s));

CREATE OR REPLACE MACRO umkm_parse_date_ordered(s, month_first) AS
    umkm__parse_date_clean(umkm__date_text(s), month_first);

-- Day first: the Indonesian default, for text whose column has no decided order (title rows, file names).
CREATE OR REPLACE MACRO umkm_parse_date(s) AS umkm_parse_date_ordered(s, false);

-- What one numeric date says about its column's order: 'day_first' when only day-first fits (first part > 12),
-- 'month_first' when only month-first fits (second part > 12), 'ambiguous' when both fit, NULL when the value
-- is not a numeric d/m/y date (ISO, Excel serials, month names need no decision) or neither order fits.
CREATE OR REPLACE MACRO umkm__order_of_parts(a, b) AS
    CASE WHEN a BETWEEN 13 AND 31 AND b BETWEEN 1 AND 12 THEN 'day_first'
         WHEN a BETWEEN 1 AND 12 AND b BETWEEN 13 AND 31 THEN 'month_first'
         WHEN a BETWEEN 1 AND 12 AND b BETWEEN 1 AND 12 THEN 'ambiguous' END;

CREATE OR REPLACE MACRO umkm__date_order_evidence_of(v) AS umkm__order_of_parts(
    TRY_CAST(regexp_extract(v, umkm__numeric_date_pattern(), 1) AS INTEGER),
    TRY_CAST(regexp_extract(v, umkm__numeric_date_pattern(), 2) AS INTEGER));

CREATE OR REPLACE MACRO umkm_date_order_evidence(s) AS umkm__date_order_evidence_of(umkm__date_text(s));

-- A date whose day is unknown ("Maret 2024", "Mrt. 2024", "03/2024"): the first of that month. Only columns
-- declared partial (Column.day_optional) accept it, and they record that the day was unknown.
CREATE OR REPLACE MACRO umkm__month_year_of(v) AS
    CASE
        WHEN regexp_matches(v, '^[a-z]+\.?[\s\-]+\d{4}$') THEN try(make_date(
            TRY_CAST(regexp_extract(v, '(\d{4})$', 1) AS INTEGER),
            umkm_month_number(regexp_extract(v, '^([a-z]+)', 1)), 1))
        WHEN regexp_matches(v, '^\d{1,2}[/.\-]\d{4}$') THEN try(make_date(
            TRY_CAST(regexp_extract(v, '(\d{4})$', 1) AS INTEGER),
            TRY_CAST(regexp_extract(v, '^(\d{1,2})', 1) AS INTEGER), 1))
    END;

CREATE OR REPLACE MACRO umkm_parse_month_year(s) AS umkm__month_year_of(umkm__date_text(s));

-- A year as typed in book-year columns: "2023", "2023.0", "TB 2023", "Th. 2022", "Thn 2021", "Tahun Buku 2023".
CREATE OR REPLACE MACRO umkm__year_of_plain(p) AS
    TRY_CAST(regexp_extract(lower(p),
        '^(?:(?:tahun\s+buku|tahun|thn|th|tb)\.?\s*)?((?:19|20)\d{2})(?:\.0+)?$', 1) AS INTEGER);

CREATE OR REPLACE MACRO umkm_parse_year(s) AS umkm__year_of_plain(umkm__plain_spaces(s));

-- Codes typed by hand or saved as numbers: spaces (any Unicode space), quotes and a trailing ".0" removed.
CREATE OR REPLACE MACRO umkm__digits_of_plain(p) AS
    regexp_replace(regexp_replace(p, '[\s''`]', '', 'g'), '\.0+$', '');

CREATE OR REPLACE MACRO umkm__digits_of_code(s) AS umkm__digits_of_plain(umkm__plain_spaces(s));

-- NIB: 13 digits. Seen in real exports: NIBs of 2018-19 begin 8120/9120, of 2020 02, of early 2021 12, and since
-- OSS RBA (August 2021) the first six digits are the issue date ddmmyy. So no NIB begins with 00, and a NIB typed
-- as a number loses at most one leading zero: a 12-digit value not beginning with 0 gets it back. A 10-12 digit
-- value beginning with 0 or +62 is a phone number, never a NIB; scientific notation ("9,12E+12") has lost digits.
-- The prefix must be an era prefix, or an issue date ddmmyy from August 2021 on and not later than next year: a
-- 13-digit phone number ("0812 1234 56789" reads 08-12-12; "6281..." has no day 62) is not a NIB.
CREATE OR REPLACE MACRO umkm__nib_candidate(d) AS
    CASE WHEN regexp_matches(d, '^[1-9]\d{11}$') THEN '0' || d
         WHEN regexp_matches(d, '^\d{13}$') THEN d END;

CREATE OR REPLACE MACRO umkm__ddmmyy(n) AS try_strptime(substr(n, 1, 6), '%d%m%y')::DATE;

CREATE OR REPLACE MACRO umkm__nib_plausible(n) AS
    n IS NOT NULL AND (
        regexp_matches(n, '^(8120|9120|02|12)')
        OR umkm__ddmmyy(n) BETWEEN DATE '2021-08-01' AND current_date + INTERVAL 1 YEAR);

CREATE OR REPLACE MACRO umkm__nib_of_digits(d) AS
    CASE WHEN umkm__nib_plausible(umkm__nib_candidate(d)) THEN umkm__nib_candidate(d) END;

CREATE OR REPLACE MACRO umkm_parse_nib(s) AS umkm__nib_of_digits(umkm__digits_of_code(s));

-- The issue date a NIB of the OSS RBA era carries in its first six digits (ddmmyy), else NULL.
CREATE OR REPLACE MACRO umkm_nib_issue_date(nib) AS
    CASE WHEN umkm__ddmmyy(nib) >= DATE '2021-08-01' THEN umkm__ddmmyy(nib) END;

-- KBLI 2020 kelompok: 5 digits; a 4-digit value is a code of divisions 01-09 that lost its leading zero.
CREATE OR REPLACE MACRO umkm__kbli_of_digits(d) AS
    CASE WHEN regexp_matches(d, '^\d{4,5}$') THEN lpad(d, 5, '0') END;

CREATE OR REPLACE MACRO umkm_parse_kbli(s) AS umkm__kbli_of_digits(umkm__digits_of_code(s));

-- Nomor Induk Koperasi: 16 digits, typed with or without spaces ("6471 0201 0000 0123"). A cooperative's
-- certificate number, not personal data. Scientific notation, letters for digits (O for 0) are rejected.
-- A number that went through scientific notation and back ("6,47102E+15" -> 6471020000000000) ends in a run of
-- zeros: its last digits are lost, and two cooperatives would merge into one. Rejected as nomor_koperasi_terpotong.
CREATE OR REPLACE MACRO umkm__nomor_koperasi_truncated_of_digits(d) AS regexp_matches(d, '^\d{8}0{8}$');

CREATE OR REPLACE MACRO umkm_nomor_koperasi_truncated(s) AS
    umkm__nomor_koperasi_truncated_of_digits(umkm__digits_of_code(s));

CREATE OR REPLACE MACRO umkm__nomor_koperasi_of_digits(d) AS
    CASE WHEN regexp_matches(d, '^\d{16}$') AND NOT umkm__nomor_koperasi_truncated_of_digits(d) THEN d END;

CREATE OR REPLACE MACRO umkm_parse_nomor_koperasi(s) AS umkm__nomor_koperasi_of_digits(umkm__digits_of_code(s));

-- A number that is someone's phone number or NIK typed into a numeric column ("081298765432", 16 digits): never
-- landed as an amount, a count or a score (it would travel into check results and logs as a number).
CREATE OR REPLACE MACRO umkm__personal_number(s) AS
    regexp_matches(regexp_replace(trim(CAST(s AS VARCHAR)), '[\s\-().]', '', 'g'), '^((\+?62|0)8\d{7,11}|\d{16})$');

-- Rupiah amounts. Indonesian convention: dot groups thousands, comma marks decimals ("Rp 1.250.000.000,50").
-- A single dot followed by exactly three digits ("1.250") is a thousands dot; other single dots are decimals
-- (numbers written by software). Several comma groups ("1,250,000") are English thousands separators.
-- Numbers are parsed at scale 10 so decimals (coordinates, areas) keep their digits; rupiah rounds to sen.
CREATE OR REPLACE MACRO umkm__money_text_of_plain(p) AS
    regexp_replace(regexp_replace(lower(p), '(rp\.?|idr|\s)', '', 'g'), ',-$', '');

CREATE OR REPLACE MACRO umkm__money_text(s) AS umkm__money_text_of_plain(umkm__plain_spaces(s));

-- Amounts written with a word for the magnitude: "1,2 M", "Rp 2,5 Milyar", "850 jt", "500 rb". In Indonesian
-- usage M is miliar (10^9), not million; T is triliun.
CREATE OR REPLACE MACRO umkm__money_unit(v) AS
    regexp_extract(v, '(triliun|t|milyar|miliar|m|juta|jt|ribu|rb)\.?$', 1);

CREATE OR REPLACE MACRO umkm__money_multiplier(unit) AS
    CASE unit WHEN 't' THEN 1e12 WHEN 'triliun' THEN 1e12
              WHEN 'm' THEN 1e9 WHEN 'milyar' THEN 1e9 WHEN 'miliar' THEN 1e9
              WHEN 'jt' THEN 1e6 WHEN 'juta' THEN 1e6
              WHEN 'rb' THEN 1e3 WHEN 'ribu' THEN 1e3 END;

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

CREATE OR REPLACE MACRO umkm__parse_plain_rupiah(v) AS
    CASE WHEN regexp_matches(v, '^\(.*\)$')  -- accounting negative "(1.000)"
         THEN -umkm__parse_number_text(trim(v, '()'))
         ELSE umkm__parse_number_text(v) END;

-- personal: umkm__personal_number of the raw text; v: its umkm__money_text.
CREATE OR REPLACE MACRO umkm__rupiah_of(personal, v) AS
    TRY_CAST(CASE WHEN personal THEN NULL
                  WHEN umkm__money_unit(v) <> ''
                  THEN umkm__parse_plain_rupiah(regexp_replace(v,
                           '(triliun|t|milyar|miliar|m|juta|jt|ribu|rb)\.?$', ''))
                       * umkm__money_multiplier(umkm__money_unit(v))
                  ELSE umkm__parse_plain_rupiah(v) END AS DECIMAL(20, 2));

CREATE OR REPLACE MACRO umkm_parse_rupiah(s) AS umkm__rupiah_of(umkm__personal_number(s), umkm__money_text(s));

-- Measures (coordinates, land area, scores): a single dot is a decimal point ("116.831", "-1.237"), as numeric
-- xlsx cells are rendered; only several dot groups ("1.250.000") are thousands separators.
CREATE OR REPLACE MACRO umkm__compact(s) AS regexp_replace(trim(CAST(s AS VARCHAR)), '\s', '', 'g');

-- personal: umkm__personal_number of the raw text; c: its umkm__compact.
CREATE OR REPLACE MACRO umkm__decimal_of(personal, c) AS
    CASE WHEN personal THEN NULL
         WHEN regexp_matches(c, '^-?\d+\.\d+$') THEN try_cast(c AS DOUBLE)
         ELSE CAST(umkm__parse_number_text(c) AS DOUBLE) END;

CREATE OR REPLACE MACRO umkm_parse_decimal(s) AS umkm__decimal_of(umkm__personal_number(s), umkm__compact(s));

-- Counts (members, workers): typed by people, so "1.234" and "1,234" are one thousand two hundred thirty-four
-- (a count has no decimals), and a unit word may follow ("12 orang", "3 unit").
CREATE OR REPLACE MACRO umkm__count_text_of_plain(p) AS
    regexp_replace(regexp_replace(lower(umkm__compact(p)),
        '(orang|org|unit|anggota|jiwa|buah|bh|pria|wanita)\.?$', ''),
        '^(-?\d{1,3}),(\d{3})$', '\1\2');

CREATE OR REPLACE MACRO umkm__count_text(s) AS umkm__count_text_of_plain(umkm__plain_spaces(s));

-- personal: umkm__personal_number of the raw text; v: its umkm__count_text.
CREATE OR REPLACE MACRO umkm__integer_of(personal, v) AS
    CASE WHEN personal THEN NULL
         WHEN umkm__parse_number_text(v) = floor(umkm__parse_number_text(v))
         THEN CAST(umkm__parse_number_text(v) AS BIGINT) END;

CREATE OR REPLACE MACRO umkm_parse_integer(s) AS umkm__integer_of(umkm__personal_number(s), umkm__count_text(s));

-- Personal data is never stored; only whether a value is well-formed (NULL when empty).
-- filled: umkm_clean_text(s) IS NOT NULL; d: umkm__digits_of_code(s).
CREATE OR REPLACE MACRO umkm__valid_phone_of(filled, s) AS
    CASE WHEN filled
         THEN regexp_matches(regexp_replace(CAST(s AS VARCHAR), '[\s\-().]', '', 'g'), '^(\+?62|0)\d{8,12}$') END;

CREATE OR REPLACE MACRO umkm_valid_phone(s) AS umkm__valid_phone_of(umkm_clean_text(s) IS NOT NULL, s);

CREATE OR REPLACE MACRO umkm__valid_email_of(filled, s) AS
    CASE WHEN filled THEN regexp_matches(trim(CAST(s AS VARCHAR)), '^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$') END;

CREATE OR REPLACE MACRO umkm_valid_email(s) AS umkm__valid_email_of(umkm_clean_text(s) IS NOT NULL, s);

CREATE OR REPLACE MACRO umkm__valid_nik_of(filled, d) AS CASE WHEN filled THEN regexp_matches(d, '^\d{16}$') END;

CREATE OR REPLACE MACRO umkm_valid_nik(s) AS umkm__valid_nik_of(umkm_clean_text(s) IS NOT NULL, umkm__digits_of_code(s));

-- A value that could not be read is shown to staff so they can fix it (in rejects, gaps and check results), but
-- only when it looks like a value of a data column: at most 32 characters and at least one digit ("850 jt",
-- "Maret 2024", "TB 2023", "6,47102E+15"). Anything else (a person's name typed into a date column, a long note)
-- is shown by its shape only, and personal data typed into the wrong column (a 16-digit NIK, a phone number, an
-- e-mail address) is never shown.
-- s: the raw text; c: umkm_clean_text(s); d: umkm__digits_of_code(s).
CREATE OR REPLACE MACRO umkm__safe_value_of(s, c, d) AS
    CASE WHEN c IS NULL THEN NULL
         WHEN coalesce(umkm__valid_nik_of(c IS NOT NULL, d), false)
              OR coalesce(umkm__valid_phone_of(c IS NOT NULL, s), false)
              OR regexp_matches(d, '^(\+?62|0)?8\d{8,11}$')
              OR contains(CAST(s AS VARCHAR), '@')
             THEN '[disamarkan: tampak seperti data pribadi]'
         WHEN length(c) <= 32 AND regexp_matches(c, '\d')
             THEN c
         ELSE '[teks ' || length(c) || ' karakter]' END;

CREATE OR REPLACE MACRO umkm_safe_value(s) AS umkm__safe_value_of(s, umkm_clean_text(s), umkm__digits_of_code(s));

-- A value of a coded text column shown in the quality gate's failing-row samples (status.json, Data Docs,
-- Dagster metadata): as typed, so staff see the unexpected spelling, unless it looks like personal data (masked)
-- or is long free text (shown by its length).
CREATE OR REPLACE MACRO umkm_shown_text(s) AS
    CASE WHEN umkm_clean_text(s) IS NULL THEN CAST(s AS VARCHAR)
         WHEN umkm_safe_value(s) LIKE '[disamarkan%' THEN umkm_safe_value(s)
         WHEN umkm__mask_personal_in_text(umkm_clean_text(s)) <> umkm_clean_text(s)
             THEN '[disamarkan: tampak seperti data pribadi]'
         WHEN length(umkm_clean_text(s)) > 40 THEN '[teks ' || length(umkm_clean_text(s)) || ' karakter]'
         ELSE umkm_clean_text(s) END;
