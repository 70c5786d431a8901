{# Data-quality gate helpers (docs/quality.md). Every *_gaps_flagged model returns the same columns:
   source, entity, record_key, record_label, gap_type, column_name, value, detail, source_path, source_row. #}

{# Why: a gap on a file row (a reject, a value that did not parse) is identified and labelled the same way
   whichever list it comes from, so a reject and an unparsed value of one row share record_key (gap_id tells
   them apart by column) and staff read one label: key 'path#sheet#row', label 'path [sheet] baris row'. #}
{% macro quality_file_row_key(path, sheet, row) -%}
    {{ path }} || '#' || coalesce({{ sheet }}, '') || '#' || {{ row }}
{%- endmacro %}

{% macro quality_file_row_label(path, sheet, row) -%}
    {{ path }} || coalesce(' [' || {{ sheet }} || ']', '') || ' baris ' || {{ row }}
{%- endmacro %}

{# Numbers (rupiah, counts) as staff write them: 1.250.000.000 (dot thousands). #}
{% macro quality_number(amount) -%}
    replace(format('{:,.0f}', cast({{ amount }} as double)), ',', '.')
{%- endmacro %}

{# The office's today (WITA): dates after it are in the future. #}
{% macro quality_today() -%}
    cast(timezone('Asia/Makassar', '{{ run_started_at.isoformat() }}'::timestamptz) as date)
{%- endmacro %}

{# Date-range gaps for one date column: rows of `relation_cte` whose column is after today (unless
   future=false) or before the earliest plausible date (var quality_earliest_plausible_date). #}
{% macro quality_date_gaps(relation_cte, source, entity, key, label, column, column_label, path='source_path', row='source_row', future=true) -%}
    select
        '{{ source }}' as source, '{{ entity }}' as entity, {{ key }} as record_key, {{ label }} as record_label,
        case when {{ column }} > {{ quality_today() }} then 'date_in_future' else 'date_before_1945' end as gap_type,
        '{{ column_label }}' as column_name, strftime({{ column }}, '%d-%m-%Y') as value, null as detail,
        {{ path }} as source_path, {{ row }} as source_row
    from {{ relation_cte }}
    where {% if future %}{{ column }} > {{ quality_today() }} or {% endif -%}
        {{ column }} < '{{ var("quality_earliest_plausible_date") }}'::date
{%- endmacro %}

{# Money gaps for one amount column: negative, or above var quality_money_implausible_above. #}
{% macro quality_money_gaps(relation_cte, source, entity, key, label, column, column_label, path='source_path', row='source_row') -%}
    select
        '{{ source }}' as source, '{{ entity }}' as entity, {{ key }} as record_key, {{ label }} as record_label,
        case when {{ column }} < 0 then 'money_negative' else 'money_implausible' end as gap_type,
        '{{ column_label }}' as column_name, {{ quality_number(column) }} as value,
        {{ quality_number(var('quality_money_implausible_above')) }} as detail,
        {{ path }} as source_path, {{ row }} as source_row
    from {{ relation_cte }}
    where {{ column }} < 0 or {{ column }} > {{ var('quality_money_implausible_above') }}
{%- endmacro %}

{# Update check (pemutakhiran) of one source family: its latest update against the previous one.
   rows_cte has _update (date of the update), _key (record key), _record_date (the record's own date, used to
   compare periodic exports only over the period both cover; NULL for snapshot registries) and the columns.
   Returns one row per check: row_count, records_vanished, column_empty (per column), total (per column).
   Thresholds: vars quality_update_row_drop_share, quality_update_total_change_share, quality_update_min_rows. #}
{% macro quality_compare_updates(rows_cte, source, family, columns, totals, windowed) -%}
{%- set min_rows = var('quality_update_min_rows') -%}
{%- set drop_share = var('quality_update_row_drop_share') -%}
{%- set change_share = var('quality_update_total_change_share') -%}
(
with {{ family }}_updates as (
    select _update, count(*) as n_rows, min(_record_date) as first_date, max(_record_date) as last_date
    from {{ rows_cte }} where _update is not null group by _update
),
{{ family }}_ranked as (
    select *, row_number() over (order by _update desc) as recency from {{ family }}_updates
),
{{ family }}_pair as (
    select
        latest._update as latest_update, previous._update as previous_update,
        latest.n_rows as latest_rows, previous.n_rows as previous_rows,
        {%- if windowed %}
        greatest(latest.first_date, previous.first_date) as window_start,
        least(latest.last_date, previous.last_date) as window_end
        {%- else %}
        null::date as window_start, null::date as window_end
        {%- endif %}
    from {{ family }}_ranked as latest
    inner join {{ family }}_ranked as previous on latest.recency = 1 and previous.recency = 2
),
{{ family }}_both as (
    select r.*, case when r._update = p.latest_update then 'latest' else 'previous' end as _side,
        {%- if windowed %}
        r._record_date between p.window_start and p.window_end as _in_window
        {%- else %}
        true as _in_window
        {%- endif %}
    from {{ rows_cte }} as r
    inner join {{ family }}_pair as p on r._update in (p.latest_update, p.previous_update)
),
{{ family }}_keys as (
    select _key, bool_or(_side = 'previous') as in_previous, bool_or(_side = 'latest') as in_latest
    from {{ family }}_both where _in_window and _key is not null group by _key
),
{{ family }}_checks as (
    select 'row_count' as check_name, null as column_name,
        count(*) filter (_side = 'previous' and _in_window)::double as previous_value,
        count(*) filter (_side = 'latest' and _in_window)::double as latest_value,
        null as examples
    from {{ family }}_both
    union all
    select 'records_vanished', null,
        count(*) filter (in_previous)::double,
        count(*) filter (in_previous and not in_latest)::double,
        array_to_string(list_slice(list(_key order by _key) filter (in_previous and not in_latest), 1, 10), ', ')
    from {{ family }}_keys
    {%- for column in columns %}
    union all
    select 'column_empty', '{{ column }}',
        count({{ adapter.quote(column) }}) filter (_side = 'previous')::double,
        count({{ adapter.quote(column) }}) filter (_side = 'latest')::double,
        null
    from {{ family }}_both
    {%- endfor %}
    {%- for column in totals %}
    union all
    select 'total', '{{ column }}',
        sum({{ adapter.quote(column) }}) filter (_side = 'previous' and _in_window)::double,
        sum({{ adapter.quote(column) }}) filter (_side = 'latest' and _in_window)::double,
        null
    from {{ family }}_both
    {%- endfor %}
)
select
    '{{ source }}' as source,
    '{{ family }}' as family,
    checks.check_name,
    checks.column_name,
    pair.previous_update,
    pair.latest_update,
    pair.previous_rows,
    pair.latest_rows,
    pair.window_start,
    pair.window_end,
    checks.previous_value,
    checks.latest_value,
    case
        when checks.previous_value = 0 then null
        when checks.check_name = 'records_vanished' then checks.latest_value / checks.previous_value
        else (checks.latest_value - checks.previous_value) / abs(checks.previous_value)
    end as change_share,
    case checks.check_name
        when 'row_count' then {{ drop_share }}
        when 'total' then {{ change_share }}
    end as threshold,
    coalesce(case checks.check_name
        when 'row_count' then checks.previous_value >= {{ min_rows }}
            and checks.latest_value < checks.previous_value * (1 - {{ drop_share }})
        when 'records_vanished' then checks.latest_value > 0
        when 'column_empty' then pair.previous_rows >= {{ min_rows }} and checks.previous_value > 0
            and checks.latest_value = 0
        when 'total' then pair.previous_rows >= {{ min_rows }} and checks.previous_value <> 0
            and abs(checks.latest_value - checks.previous_value) > {{ change_share }} * abs(checks.previous_value)
    end, false) as flagged,
    checks.examples
from {{ family }}_checks as checks
cross join {{ family }}_pair as pair
)
{%- endmacro %}

{# The data columns of a raw table (provenance and _unparsed_columns excluded), read at run time. #}
{% macro quality_raw_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if not column.name.startswith('_') -%}{%- do names.append(column.name) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}
