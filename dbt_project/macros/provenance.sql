{# Why: every staging model hands its landed row's provenance on under one set of names (the loader's _path,
   _sheet, _row_number, _file_id, _file_hash become source_path, source_sheet, source_row, source_file_id,
   source_file_hash), so the gap list and the marts can point staff at the file and row to fix. One macro keeps
   the names the same in all eight staging models. `relation` prefixes the columns (a CTE name); `columns` picks
   which, in this order; the list ends without a comma. #}
{% macro source_columns(relation=none, columns=['path', 'sheet', 'row', 'file_hash']) -%}
    {%- set landed = {'path': '_path', 'sheet': '_sheet', 'row': '_row_number', 'file_id': '_file_id',
                      'file_hash': '_file_hash'} -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for column in columns -%}
    {{ prefix }}{{ landed[column] }} as source_{{ column }}{{ ',' if not loop.last }}
    {% endfor -%}
{%- endmacro %}
