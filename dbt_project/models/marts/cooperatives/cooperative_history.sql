-- One row per cooperative per data update in the configured region, append-only over every update in the raw
-- folder. An update is per kab/kota: next_update_date is the regency's next update (NULL for its latest), so the
-- state "as of" a date is the row with update_date <= date < next_update_date. No personal data.
with updates as (
    select *
    from {{ ref('int_cooperative_updates_classified') }}
    where {{ in_region('regency_code') }}
),

regency_updates as (
    select
        regency_code,
        update_date,
        lag(update_date) over (partition by regency_code order by update_date) as previous_update_date,
        lead(update_date) over (partition by regency_code order by update_date) as next_update_date,
        row_number() over (partition by regency_code order by update_date desc) as updates_before_latest
    from (select distinct regency_code, update_date from updates)
)

select
    updates.cooperative_number,
    updates.update_date,
    regency_updates.previous_update_date,
    regency_updates.next_update_date,
    regency_updates.updates_before_latest = 1 as is_latest_update,
    regency_updates.updates_before_latest - 1 as updates_since,
    updates.cooperative_name,
    updates.regency_code,
    updates.regency_official_name,
    updates.regency_basis,
    updates.regency_match,
    updates.regency_name_exported,
    updates.kecamatan_code,
    updates.kecamatan_official_name,
    updates.kecamatan_name_exported,
    updates.kecamatan_regency_code,
    updates.kelurahan_name_exported,
    updates.jenis,
    {{ coop_jenis_label('updates.jenis') }} as jenis_label,
    updates.jenis_exported,
    updates.jenis_match,
    updates.bentuk,
    {{ coop_code_label('bentuk', 'updates.bentuk') }} as bentuk_label,
    updates.bentuk_exported,
    updates.bentuk_match,
    updates.kelompok,
    updates.sektor_usaha,
    updates.legal_entity_number,
    updates.legal_entity_date,
    updates.status_recorded,
    {{ coop_code_label('status', 'updates.status_recorded') }} as status_recorded_label,
    updates.status_exported,
    updates.status_match,
    updates.is_active,
    updates.activity,
    {{ coop_code_label('activity', 'updates.activity') }} as activity_label,
    updates.active_rule,
    {{ coop_active_rule_label('updates.active_rule') }} as active_rule_label,
    updates.rat_book_year,
    updates.rat_book_year_basis,
    updates.rat_book_year_recorded,
    updates.rat_date,
    updates.rat_date_day_unknown,
    updates.last_closed_book_year,
    updates.rat_held_last_book_year,
    updates.rat_book_year_not_closed,
    updates.rat_book_year_disagrees_with_rat_date,
    updates.members_male,
    updates.members_female,
    updates.managers,
    updates.employees,
    updates.modal_sendiri,
    updates.modal_luar,
    updates.volume_usaha,
    updates.aset,
    updates.shu,
    updates.reports_digitally,
    {{ coop_reports_digitally_label('updates.reports_digitally') }} as reports_digitally_label,
    updates.digital_reporting_exported,
    updates.digital_reporting_match,
    updates.digital_reporting_since,
    updates.update_date_basis,
    updates.rows_in_update,
    updates.names_in_update,
    updates.names_in_update_listed,
    updates.row_updated_date,
    updates.source_path,
    updates.source_sheet,
    updates.source_row
from updates
inner join regency_updates using (regency_code, update_date)
