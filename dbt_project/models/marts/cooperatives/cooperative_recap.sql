-- Kab/kota x kecamatan x jenis x bentuk recap of the current state (marts.cooperatives): what the office sends to
-- the province and to Kemenkop. Members and money are summed over every registered cooperative of the cell.
select
    regency_code,
    regency_official_name,
    kecamatan_code,
    coalesce(kecamatan_official_name, 'tidak_diketahui') as kecamatan_name,
    jenis,
    jenis_label,
    bentuk,
    bentuk_label,
    count(*) as registered,
    count(*) filter (where is_active) as active,
    count(*) filter (where not is_active) as inactive,
    -- an unrecognised status decides nothing: neither active nor inactive (registered = the three together)
    count(*) filter (where is_active is null) as activity_unknown,
    count(*) filter (where rat_held_last_book_year) as rat_held,
    any_value(last_closed_book_year) as last_closed_book_year,
    coalesce(sum(members_male), 0) as members_male,
    coalesce(sum(members_female), 0) as members_female,
    coalesce(sum(modal_sendiri), 0) as modal_sendiri,
    coalesce(sum(modal_luar), 0) as modal_luar,
    coalesce(sum(volume_usaha), 0) as volume_usaha,
    coalesce(sum(shu), 0) as shu,
    coalesce(sum(aset), 0) as aset,
    count(*) filter (where reports_digitally) as reporting_digitally,
    max(update_date) as update_date
from {{ ref('cooperatives') }}
group by all
