{# Cooperative registry rules (docs/cooperatives.md). Vocabularies live in seeds/rules/cooperative_*.csv,
   parameters in dbt_project.yml (cooperative_*); these macros only apply them. #}

{# Key of a code-list value as exported, the one normalisation every cooperative seed is keyed by: upper case, a
   bracketed note dropped ("aktif (RAT 2023)" -> AKTIF), a leading KOPERASI / KOP. word dropped ("Kop. Konsumen",
   "Koperasi Primer" -> KONSUMEN, PRIMER), then only A-Z and 0-9 ("Tdk. Aktif" -> TDKAKTIF, "Simpan-Pinjam" ->
   SIMPANPINJAM). The seeds' value_key column holds these keys. #}
{% macro coop_value_key(value) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                {{ upper_without_notes(value) }},
                '^\s*(KOPERASI|KOP\.|KOP\s)\s*', ''),
            '[^A-Z0-9]', '', 'g'),
        '')
{%- endmacro %}

{# Key of a cooperative's name for comparing two rows: the same normalisation (upper case, no KOPERASI / KOP.
   word in front, only A-Z and 0-9), so "Koperasi Maju Bersama" and "KOP. MAJU BERSAMA" are one name. #}
{% macro coop_name_key(value) -%}
    {{ coop_value_key(value) }}
{%- endmacro %}

{# Fuzzy fallback for code-list values no seed key equals (typos: "Konsumsen", "Simpan Pinajm"): the largest edit
   distance (Damerau-Levenshtein: one insertion, deletion, substitution or adjacent swap each) still accepted for
   a key of this many characters. Keys shorter than var cooperative_fuzzy_min_length never match fuzzily ("KUD" is
   not "KSP"); keys under 8 characters allow 1 edit, longer ones var cooperative_fuzzy_max_distance (default 2). #}
{% macro coop_fuzzy_allowed_distance(key) -%}
    {%- set min_length = var('cooperative_fuzzy_min_length') | int -%}
    {%- set max_distance = var('cooperative_fuzzy_max_distance') | int -%}
    case
        when length({{ key }}) < {{ min_length }} then 0
        when length({{ key }}) < 8 then least(1, {{ max_distance }})
        else {{ max_distance }}
    end
{%- endmacro %}

{# A column of a landed table that an older loader did not write yet (e.g. tanggal_rat_day_unknown): the column
   when the relation has it, else the fallback. Checked when the model runs, so staging builds on both. #}
{% macro coop_optional_column(relation, column, fallback) -%}
    {%- if execute -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if column | lower in names -%}{{ column }}{%- else -%}{{ fallback }}{%- endif -%}
    {%- else -%}
        {{ fallback }}
    {%- endif -%}
{%- endmacro %}

{# N of the RAT rule, validated: a whole number of book years, at least 1. #}
{% macro coop_inactive_after_years() -%}
    {%- set years = var('cooperative_inactive_after_years') | int -%}
    {%- if years < 1 -%}
        {{ exceptions.raise_compiler_error("var cooperative_inactive_after_years must be a whole number >= 1") }}
    {%- endif -%}
    {{ years }}
{%- endmacro %}

{# The name of the RAT rule as recorded in active_rule: rat_3_years for N = 3. #}
{% macro coop_rat_rule_name() -%}
    'rat_{{ coop_inactive_after_years() }}_years'
{%- endmacro %}

{% macro coop_status_precedence() -%}
    {%- set precedence = var('cooperative_status_precedence') -%}
    {%- if precedence not in ['register', 'rat'] -%}
        {{ exceptions.raise_compiler_error("var cooperative_status_precedence must be 'register' or 'rat', got "
                                           ~ precedence) }}
    {%- endif -%}
    {{ precedence }}
{%- endmacro %}

{# A registry row without a Kab/Kota (the column is missing or the cell is blank) belongs to the configured region
   when that region is a kab/kota: an office's own register lists its own cooperatives. For a province it cannot
   be placed (NULL). #}
{% macro coop_assumed_regency_code() -%}
    {%- set region = var('region_code') | string -%}
    {%- if modules.re.fullmatch('[0-9]{2}\.[0-9]{2}', region) -%}
        '{{ region }}'
    {%- else -%}
        null::varchar
    {%- endif -%}
{%- endmacro %}
