{# The newest export wins when overlapping exports repeat a record: the export's as-of date (title rows or file
   name), else the latest date the file holds, then the later file and row. #}
{% macro export_as_of(date_column) -%}
    coalesce(_file_date, max({{ date_column }}) over (partition by _file_id))
{%- endmacro %}

{# Ties on the as-of date: the later upload wins, in the loader's file order ("laporan (1).xlsx" was uploaded
   after "laporan.xlsx"), then the later row. Staging models pass their renamed columns (export_as_of,
   source_path, source_row) to order records of different exports the same way. #}
{% macro newest_export_first(as_of='_export_as_of', path='_path', row='_row_number') -%}
    {{ as_of }} desc nulls last,
    regexp_replace({{ path }}, '\s*\(\d+\)(\.[^.]+)$', '\1') desc,
    coalesce(try_cast(regexp_extract({{ path }}, '\((\d+)\)\.[^.]+$', 1) as integer), 0) desc,
    {{ row }} desc
{%- endmacro %}

{# Why: the three OSS staging models keep one row per record the same way (the newest export wins, macros above);
   written once so NIB, project and permit lists cannot rank differently. The landed rows of `relation` with
   _export_as_of and export_rank (1 = the newest export's row of each `key`); `date_column` dates the export when
   its title or file name does not. #}
{% macro oss_exports_ranked(relation, date_column, key) -%}
    select
        *,
        row_number() over (partition by {{ key }} order by {{ newest_export_first() }}) as export_rank
    from (select *, {{ export_as_of(date_column) }} as _export_as_of from {{ relation }})
{%- endmacro %}

{# Why: registrations and permits are counted per year and per month ('2024-07'); one rule for both periods.
   `prefix` names the columns: <prefix>_year, <prefix>_month. #}
{% macro period_columns(date, prefix) -%}
    year({{ date }}) as {{ prefix }}_year,
    strftime({{ date }}, '%Y-%m') as {{ prefix }}_month
{%- endmacro %}

{# OSS "uraian_skala_usaha" ("Usaha Mikro", "USAHA KECIL", "Mikro") -> mikro | kecil | menengah | besar. #}
{% macro scale_from_label(label) -%}
    case regexp_replace(lower(trim({{ label }})), '^usaha\s+', '')
        when 'mikro' then 'mikro' when 'kecil' then 'kecil'
        when 'menengah' then 'menengah' when 'besar' then 'besar'
    end
{%- endmacro %}

{# A named_by list ("nib_list,permit_list") in the words of the gap messages ("daftar NIB, daftar izin"). #}
{% macro oss_family_labels(named_by) -%}
    replace(replace(replace(replace({{ named_by }}, ',', ', '),
        'nib_list', 'daftar NIB'), 'project_list', 'daftar proyek'), 'permit_list', 'daftar izin')
{%- endmacro %}
