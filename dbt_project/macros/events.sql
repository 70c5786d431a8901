{# Event attendance lists (expos, partnership meetings): the counting and normalisation rules, in one place.
   Inputs are landed text: the loader has already trimmed it, collapsed spaces, turned empty-ish cells ("-",
   "n/a") into NULL (umkm_clean_text) and parsed NIBs (umkm_parse_nib). The published event figures depend on
   these rules: tests/sample/test_event_sample.py renders these macros and pins them, row by row, against the
   sample generator's Python oracle (pipelines/sample/events/rules.py). #}

{# Group / community (and partner company) identity: 'Komunitas Kuliner Bpp' = 'KOMUNITAS KULINER BPP'. #}
{% macro event_group_key(text) -%}
    upper({{ text }})
{%- endmacro %}

{# Upper case; every run of characters other than A-Z/0-9 becomes one space; trimmed. #}
{% macro event__plain_upper(text) -%}
    trim(regexp_replace(upper({{ text }}), '[^A-Z0-9]+', ' ', 'g'))
{%- endmacro %}

{# Business name key (dedup within an event, and what the matcher compares): plain upper text, then a first
   token UD/CV/PT/PD is dropped, then a last one (once each). 'UD. Maju  Jaya' = 'MAJU JAYA' = 'Maju Jaya, CV'.
   Typos are not forgiven here: that is the matcher's job. #}
{% macro event_name_key(text) -%}
    nullif(trim(regexp_replace(regexp_replace(' ' || {{ event__plain_upper(text) }} || ' ',
        '^ (UD|CV|PT|PD) ', ' '), ' (UD|CV|PT|PD) $', ' ')), '')
{%- endmacro %}

{# Kecamatan as typed -> the upper-case official name when the typing is recognisable:
   1. plain upper text, split into tokens;
   2. abbreviations of the city are expanded token by token (var event_place_abbreviations, BPP -> BALIKPAPAN);
   3. a first token KEC or KECAMATAN is dropped ("Kec. Balikpapan Utara");
   4. a lone direction word (TIMUR, BARAT, UTARA, TENGAH, SELATAN, KOTA) gets the city in front ("Utara",
      "Kec. Utara" -> BALIKPAPAN UTARA). `city` is a column or literal (lambdas take no subqueries): the
      region's kab/kota name without KOTA/KABUPATEN, upper case (macro event_region_city); NULL when the region
      is a province, where a lone direction stays as typed because it could be any kab/kota's.
   'Kec. Bpp Utara', 'BPP. UTARA', 'utara' -> 'BALIKPAPAN UTARA'; 'Sepinggan' (a kelurahan) -> 'SEPINGGAN'.
   The key is then looked up among the region's Kemendagri kecamatan (int_event_participants_deduplicated). #}
{% macro event_kecamatan_key(text, city) -%}
    list_transform([
        list_transform(
            list_filter(string_split({{ event__plain_upper(text) }}, ' '), lambda t: t <> ''),
            lambda t: case t
                {%- for abbreviation, expansion in var('event_place_abbreviations').items() %}
                when '{{ abbreviation | upper }}' then '{{ expansion | upper }}'
                {%- endfor %}
                else t end)],
        lambda tokens: list_transform([
            case when tokens[1] in ('KEC', 'KECAMATAN') then tokens[2:] else tokens end],
            lambda rest: case
                when len(rest) = 1 and rest[1] in ('TIMUR', 'BARAT', 'UTARA', 'TENGAH', 'SELATAN', 'KOTA')
                    and {{ city }} is not null
                    then {{ city }} || ' ' || rest[1]
                else nullif(array_to_string(rest, ' '), '')
            end)[1])[1]
{%- endmacro %}

{# The region's kab/kota name as people shorten it (upper case, without KOTA/KABUPATEN): 'BALIKPAPAN' for
   64.71; NULL when var region_code is a province. A SELECT of one row and one column `city`. #}
{% macro event_region_city() -%}
    select max(upper(regexp_replace(nama, '^(Kota|Kabupaten|Kab\.?)\s+', '', 'i'))) as city
    from {{ ref('wilayah_kemendagri_2025') }}
    where kode = '{{ var("region_code") }}' and tingkat = 'kab_kota'
{%- endmacro %}

{# Identity of one MSME within one event: 'NIB:<13 digits>' when a NIB parsed, else
   'NAMA:<event_name_key>|<event_kecamatan_key or empty>'. NULL for a row without a usable business name.
   Distinct MSMEs of an event = distinct keys over its valid rows (the same business listed twice counts once). #}
{% macro event_msme_key(business_name, kecamatan, nib, city) -%}
    case
        when {{ event_name_key(business_name) }} is null then null
        when {{ nib }} is not null then 'NIB:' || {{ nib }}
        else 'NAMA:' || {{ event_name_key(business_name) }} || '|'
            || coalesce({{ event_kecamatan_key(kecamatan, city) }}, '')
    end
{%- endmacro %}

{# An event is identified by its start date and its name (upper case): '2024-07-26 EXPO UMKM HARI KOPERASI KE-77'.
   Files naming the same event (one attendance list per day, a corrected list) are one event. #}
{% macro event_id(name, start_date) -%}
    strftime({{ start_date }}, '%Y-%m-%d') || ' ' || {{ event_group_key(name) }}
{%- endmacro %}

{# Why: participants and partners both reach their event through the file they came from; this is the one rule
   for it, so the two staging models cannot drift apart. One row per file (_path) of event_info (`info`, a
   relation or CTE name) that names exactly one event: its event_id. A file naming several events links none of its
   rows (event_id NULL, a tested data gap). #}
{% macro event_file_events(info) -%}
    select _path, any_value({{ event_id('nama_kegiatan', 'tanggal_mulai') }}) as event_id
    from {{ info }}
    group by _path
    having count(*) = 1
{%- endmacro %}

{# Generic test: every row of the model satisfies a SQL boolean expression (reconciliations between counts).
   Usable on a model or a column (the column is then only where the test is listed). #}
{% test event_expression_is_true(model, expression, column_name=none) %}
select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
