{# Cooperative registry rules (docs/cooperatives.md). Vocabularies live in seeds/rules/cooperative_*.csv,
   parameters in dbt_project.yml (cooperative_*); these macros only apply them. #}

{# Key of a code-list value as exported: upper case, only A-Z and 0-9 ("Simpan-Pinjam" -> SIMPANPINJAM,
   "Non Aktif" -> NONAKTIF, "Koperasi Konsumen" -> KOPERASIKONSUMEN). The seeds' value_key column holds these. #}
{% macro coop_value_key(value) -%}
    nullif(regexp_replace(upper(trim({{ value }})), '[^A-Z0-9]', '', 'g'), '')
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
