{#
Generic test: none of the listed columns is NULL. A model's required columns are listed once, in its .yml's
model-level data_tests, instead of one not_null test per column: each dbt test is a node that every refresh
compiles (~30 ms of Jinja), runs as its own query and stores as a Dagster asset check event, and one scan per
model checks all its columns at once. Each use has a fixed `name: not_null_columns_<model>`, so adding a column
keeps the Dagster asset check's name and history. A failure returns one row per column that has NULLs
(column_name, null_rows): dbt's failure count, and so any warn_if / error_if threshold, counts columns, not
rows. Portable SQL (no DuckDB-only syntax).
#}
{% test not_null_columns(model, columns) %}
{% if not columns %}
    {{ exceptions.raise_compiler_error("not_null_columns on " ~ model ~ ": list at least one column") }}
{% endif %}
with null_counts as (
    select
    {%- for column in columns %}
        sum(case when {{ column }} is null then 1 else 0 end) as null_{{ loop.index }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ model }}
)
{% for column in columns %}
select '{{ column }}' as column_name, null_{{ loop.index }} as null_rows from null_counts where null_{{ loop.index }} > 0
{%- if not loop.last %}
union all
{%- endif %}
{% endfor %}
{% endtest %}
