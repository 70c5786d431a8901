{# The newest export wins when overlapping exports repeat a record: the export's as-of date (title rows or file
   name), else the latest date the file holds, then the later file and row. #}
{% macro export_as_of(date_column) -%}
    coalesce(_file_date, max({{ date_column }}) over (partition by _file_id))
{%- endmacro %}

{# Ties on the as-of date: the later upload wins, in the loader's file order ("laporan (1).xlsx" was uploaded
   after "laporan.xlsx"), then the later row. #}
{% macro newest_export_first() -%}
    _export_as_of desc nulls last,
    regexp_replace(_path, '\s*\(\d+\)(\.[^.]+)$', '\1') desc,
    coalesce(try_cast(regexp_extract(_path, '\((\d+)\)\.[^.]+$', 1) as integer), 0) desc,
    _row_number desc
{%- endmacro %}

{# OSS "uraian_skala_usaha" ("Usaha Mikro", "USAHA KECIL", "Mikro") -> mikro | kecil | menengah | besar. #}
{% macro scale_from_label(label) -%}
    case regexp_replace(lower(trim({{ label }})), '^usaha\s+', '')
        when 'mikro' then 'mikro' when 'kecil' then 'kecil'
        when 'menengah' then 'menengah' when 'besar' then 'besar'
    end
{%- endmacro %}
