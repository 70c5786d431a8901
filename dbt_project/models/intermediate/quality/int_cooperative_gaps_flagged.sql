-- One row per data gap of a cooperative of the configured region, as it stands in its kab/kota's latest data
-- update (marts.cooperatives), plus cooperatives that dropped out of the latest update (cooperative_history).
-- Rules: docs/quality.md; the active-rule years are var cooperative_inactive_after_years (docs/cooperatives.md).
{%- set n_years = var('cooperative_inactive_after_years') %}
with cooperatives as (
    select
        *,
        'Koperasi ' || cooperative_number || coalesce(' (' || cooperative_name || ')', '')
            || case when is_active then ', aktif' else ', tidak aktif' end as record_label
    from {{ ref('cooperatives') }}
),

history as (select * from {{ ref('cooperative_history') }}),

-- The raw row each cooperative's current state came from (phone and e-mail validity live only there).
contact as (
    select c.cooperative_number, r.no_hp_valid, r.email_valid
    from cooperatives as c
    inner join {{ source('registry', 'coop_registry') }} as r
        on r._path = c.source_path and r._row_number = c.source_row
        and r._sheet is not distinct from c.source_sheet
),

regency_latest as (
    select regency_code, max(update_date) as latest_update from history group by regency_code
),

vanished as (
    select
        h.cooperative_number,
        any_value(h.regency_code) as regency_code,
        max(h.update_date) as last_update,
        arg_max(h.cooperative_name, h.update_date) as cooperative_name,
        arg_max(h.source_path, h.update_date) as source_path,
        arg_max(h.source_row, h.update_date) as source_row
    from history as h
    group by h.cooperative_number
    having not bool_or(h.is_latest_update)
)

select 'cooperatives' as source, 'cooperative' as entity, cooperative_number as record_key, record_label,
    'kecamatan_unmatched' as gap_type, 'kecamatan' as column_name,
    coalesce(kecamatan_name_exported, '(kosong)') as value, null as detail, source_path, source_row
from cooperatives
where kecamatan_code is null

union all
-- No RAT for more than the active-rule years: the last RAT's book year is older than the last N closed book
-- years (or none is recorded).
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'coop_rat_overdue', 'rat_book_year',
    coalesce('tahun buku ' || rat_book_year, 'tidak tercatat'), '{{ n_years }}', source_path, source_row
from cooperatives
where rat_book_year is null or rat_book_year < last_closed_book_year - {{ n_years }} + 1

union all
select 'cooperatives', 'cooperative', v.cooperative_number,
    'Koperasi ' || v.cooperative_number || coalesce(' (' || v.cooperative_name || ')', ''),
    'coop_missing_from_latest', null, strftime(v.last_update, '%d-%m-%Y'),
    strftime(l.latest_update, '%d-%m-%Y'), v.source_path, v.source_row
from vanished as v
inner join regency_latest as l using (regency_code)

union all
select 'cooperatives', 'cooperative', c.cooperative_number, c.record_label, 'phone_malformed', 'no_hp', null, null,
    c.source_path, c.source_row
from cooperatives as c inner join contact using (cooperative_number)
where contact.no_hp_valid = false
union all
select 'cooperatives', 'cooperative', c.cooperative_number, c.record_label, 'email_malformed', 'email', null, null,
    c.source_path, c.source_row
from cooperatives as c inner join contact using (cooperative_number)
where contact.email_valid = false

{%- for column in ['modal_sendiri', 'modal_luar', 'volume_usaha', 'aset'] %}
union all
{{ quality_money_gaps('cooperatives', 'cooperatives', 'cooperative', 'cooperative_number', 'record_label',
                      column, column) }}
{%- endfor %}
union all
-- SHU may be negative (a loss): only implausibly large amounts are gaps.
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'money_implausible', 'shu',
    {{ quality_number('shu') }}, {{ quality_number(var('quality_money_implausible_above')) }}, source_path, source_row
from cooperatives
where abs(shu) > {{ var('quality_money_implausible_above') }}

union all
{{ quality_date_gaps('cooperatives', 'cooperatives', 'cooperative', 'cooperative_number', 'record_label',
                     'legal_entity_date', 'tanggal_badan_hukum') }}
union all
{{ quality_date_gaps('cooperatives', 'cooperatives', 'cooperative', 'cooperative_number', 'record_label',
                     'rat_date', 'tanggal_rat') }}
