-- One row per data gap of a permit-side record in the configured region: businesses (NIB), their projects and
-- permits, as they stand in the newest export (the row staff should fix is source_path/source_row).
-- Gap types and messages: seeds/rules/gap_types.csv; thresholds: vars quality_* (docs/quality.md).
with businesses as (select * from {{ ref('msme_businesses') }}),
kbli as (select kbli_code from {{ ref('stg_reference__kbli') }} where kbli_level = 'kelompok'),
regencies as (select * from {{ ref('int_region_names_keyed') }} where match_level = 'kab_kota'),

business_labels as (
    select nib, 'NIB ' || nib || coalesce(' (' || business_name || ')', '') as record_label
    from businesses
),

-- Projects and permits of the region's businesses, the newest export's row of each (with its unparsed columns).
businesses_labelled as (
    select b.*, l.record_label from businesses as b inner join business_labels as l using (nib)
),

project_exports as (
    select *, {{ export_as_of('tanggal_pengajuan_proyek') }} as _export_as_of
    from {{ source('oss', 'oss_project') }}
),

newest_projects as (
    select * from project_exports
    qualify row_number() over (partition by id_proyek order by {{ newest_export_first() }}) = 1
),

-- A project belongs to the region through its business; a project without a NIB through its own kab/kota.
projects as (
    select newest_projects.*, 'Proyek ' || newest_projects.id_proyek || ', ' || labels.record_label as record_label
    from newest_projects
    inner join business_labels as labels using (nib)
    union all by name
    select
        newest_projects.*,
        'Proyek ' || newest_projects.id_proyek || coalesce(' (' || newest_projects.nama_perusahaan || ')', '')
            as record_label
    from newest_projects
    inner join regencies on regencies.name_key = {{ regency_key('newest_projects.kab_kota_usaha') }}
    where newest_projects.nib is null and {{ in_region('regencies.region_code') }}
),

permits as (
    select
        raw_permits.*,
        'Izin ' || raw_permits.id_permohonan_izin || coalesce(' (' || raw_permits.nama_perusahaan || ')', '')
            as record_label
    from {{ source('oss', 'oss_permit') }} as raw_permits
    inner join {{ ref('msme_permits') }} as region_permits
        on region_permits.permit_application_id = raw_permits.id_permohonan_izin
        and region_permits.source_path = raw_permits._path
        and region_permits.source_row = raw_permits._row_number
),

nib_rows as (
    select raw_nib.*
    from {{ source('oss', 'oss_nib') }} as raw_nib
    inner join business_labels using (nib)
),

-- Every export row of any family that gives the business's registration date (tanggal_terbit_oss).
registration_dates as (
    select nib, tanggal_terbit_oss, 1 as family_order, 'daftar NIB' as family_label from nib_rows
    union all
    select raw.nib, raw.tanggal_terbit_oss, 2, 'daftar proyek'
    from {{ source('oss', 'oss_project') }} as raw inner join business_labels using (nib)
    union all
    select raw.nib, raw.tanggal_terbit_oss, 3, 'daftar izin'
    from {{ source('oss', 'oss_permit') }} as raw inner join business_labels using (nib)
),

registration_date_families as (
    select
        nib,
        tanggal_terbit_oss,
        strftime(tanggal_terbit_oss, '%d-%m-%Y') || ' ('
            || string_agg(family_label, ', ' order by family_order) || ')' as date_value
    from (select distinct * from registration_dates where tanggal_terbit_oss is not null)
    group by nib, tanggal_terbit_oss
),

date_conflicts as (
    select
        nib,
        count(*) as registration_dates,
        string_agg(date_value, ' / ' order by tanggal_terbit_oss) as registration_date_values
    from registration_date_families
    group by nib
),

conflicts as (
    select
        nib,
        count(distinct {{ place_key('kecamatan') }}) as kecamatans,
        string_agg(distinct upper(trim(kecamatan)), ' / ' order by upper(trim(kecamatan))) as kecamatan_values,
        count(distinct {{ scale_from_label('uraian_skala_usaha') }}) as scales,
        string_agg(distinct {{ scale_from_label('uraian_skala_usaha') }}, ' / '
            order by {{ scale_from_label('uraian_skala_usaha') }}) as scale_values
    from nib_rows
    group by nib
),

gaps as (
    -- KBLI missing: neither its first project nor any of its permits has a KBLI (its sector is unknown).
    select
        'permits' as source, 'business' as entity, b.nib as record_key, l.record_label, 'kbli_missing' as gap_type,
        'primary_kbli' as column_name, null as value,
        case
            when b.projects = 0 and b.permits = 0 then 'tidak ada proyek maupun izin untuk NIB ini'
            when b.projects = 0 then 'tidak ada proyek, dan izinnya tanpa KBLI'
            when b.permits = 0 then 'proyek pertamanya tanpa KBLI'
            else 'proyek pertamanya tanpa KBLI, begitu pula izinnya'
        end as detail,
        b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.primary_kbli is null

    union all
    -- KBLI present but not a 5-digit code (the loader could not parse it).
    select 'permits', 'project', id_proyek, record_label, 'kbli_invalid', 'kbli', null, null, _path, _row_number
    from projects where list_contains(_unparsed_columns, 'kbli')
    union all
    select 'permits', 'permit', id_permohonan_izin, record_label, 'kbli_invalid', 'kbli', null, null, _path, _row_number
    from permits where list_contains(_unparsed_columns, 'kbli')

    union all
    -- KBLI of five digits that the KBLI 2020 list does not have.
    select 'permits', 'project', id_proyek, record_label, 'kbli_unknown', 'kbli', kbli, null, _path, _row_number
    from projects where kbli is not null and kbli not in (select kbli_code from kbli)
    union all
    select 'permits', 'permit', id_permohonan_izin, record_label, 'kbli_unknown', 'kbli', kbli, null, _path, _row_number
    from permits where kbli is not null and kbli not in (select kbli_code from kbli)

    union all
    -- Kecamatan blank or not a Kemendagri kecamatan of the business's kab/kota.
    select 'permits', 'business', b.nib, l.record_label, 'kecamatan_unmatched', 'kecamatan',
        coalesce(b.kecamatan_name_exported, '(kosong)'), null, b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.kecamatan_code is null

    union all
    -- Kab Kota blank or unrecognised: placed by its file's kab/kota or its kecamatan (regency_basis), or, when
    -- neither places it, counted nowhere: listed here whatever the region, so it never vanishes silently.
    select 'permits', 'business', c.nib, 'NIB ' || c.nib || coalesce(' (' || c.business_name || ')', ''),
        'kab_kota_tidak_dikenali', 'kab_kota', coalesce(c.regency_name_exported, '(kosong)'),
        case c.regency_basis
            when 'file' then 'ditempatkan di ' || c.regency_official_name || ', kab/kota baris lain berkas ini'
            when 'kecamatan' then 'ditempatkan di ' || c.regency_official_name || ' menurut kecamatannya'
            else 'usaha ini tidak dihitung di wilayah mana pun sampai diperbaiki'
        end,
        c.source_path, c.source_row
    from {{ ref('int_msme_businesses_classified') }} as c
    where c.regency_basis is distinct from 'kab_kota'
        and (c.regency_basis is null or {{ in_region('c.regency_code') }})

    union all
    select 'permits', 'business', b.nib, l.record_label, 'scale_missing', 'uraian_skala_usaha', null, null,
        b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.scale = 'tidak_diketahui'

    union all
    select 'permits', 'business', b.nib, l.record_label, 'scale_inconsistent', 'capital_amount', b.scale,
        'menurut modal usaha Rp' || {{ quality_number('b.capital_amount') }} || ' skalanya ' || b.capital_scale,
        b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.scale_disagrees_with_capital
    union all
    select 'permits', 'business', b.nib, l.record_label, 'scale_inconsistent', 'annual_sales', b.scale,
        'menurut hasil penjualan tahunan Rp' || {{ quality_number('b.annual_sales') }} || ' skalanya ' || b.sales_scale,
        b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.scale_disagrees_with_sales

    union all
    -- One NIB, different attributes across exports (the row to fix: the newest export's).
    -- The registration date is compared across every export of every family (NIB, project and permit lists).
    select 'permits', 'business', c.nib, b.record_label, 'nib_conflicting', 'tanggal_terbit_oss',
        c.registration_date_values, null, b.source_path, b.source_row
    from date_conflicts as c inner join businesses_labelled as b using (nib) where c.registration_dates > 1
    union all
    select 'permits', 'business', c.nib, b.record_label, 'nib_conflicting', 'kecamatan', c.kecamatan_values, null,
        b.source_path, b.source_row
    from conflicts as c inner join businesses_labelled as b using (nib) where c.kecamatans > 1
    union all
    select 'permits', 'business', c.nib, b.record_label, 'nib_conflicting', 'uraian_skala_usaha', c.scale_values,
        null, b.source_path, b.source_row
    from conflicts as c inner join businesses_labelled as b using (nib) where c.scales > 1

    union all
    -- A permit or project of the region whose NIB is blank: kept and counted, but linked to no business. (A NIB
    -- that is not a NIB lands NULL with 'nib' in _unparsed_columns: gap nib_malformed, int_ingest_gaps_flagged.)
    select 'permits', 'permit', id_permohonan_izin, record_label, 'nib_missing', 'nib', null, null, _path, _row_number
    from permits where nib is null and not coalesce(list_contains(_unparsed_columns, 'nib'), false)
    union all
    select 'permits', 'project', id_proyek, record_label, 'nib_missing', 'nib', null, null, _path, _row_number
    from projects where nib is null and not coalesce(list_contains(_unparsed_columns, 'nib'), false)

    union all
    -- A business no export gives a readable registration date: counted, but in no registration year or month.
    select 'permits', 'business', b.nib, l.record_label, 'registration_date_missing', 'tanggal_terbit_oss', null,
        {{ oss_family_labels('b.named_by') }}, b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.registered_on is null

    union all
    -- A negative worker count (TKI) on a project.
    select 'permits', 'project', id_proyek, record_label, 'count_negative', 'tki', cast(tki as varchar), null,
        _path, _row_number
    from projects where tki < 0

    union all
    select 'permits', 'business', b.nib, l.record_label, 'phone_malformed', 'nomor_telp', null, null,
        b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.nomor_telp_valid = false
    union all
    select 'permits', 'business', b.nib, l.record_label, 'email_malformed', 'email', null, null,
        b.source_path, b.source_row
    from businesses as b inner join business_labels as l using (nib)
    where b.email_valid = false

    union all
    {{ quality_money_gaps('projects', 'permits', 'project', 'id_proyek', 'record_label', 'jumlah_investasi',
                          'jumlah_investasi', '_path', '_row_number') }}
    union all
    {{ quality_money_gaps('projects', 'permits', 'project', 'id_proyek', 'record_label', 'hasil_penjualan_tahunan',
                          'hasil_penjualan_tahunan', '_path', '_row_number') }}

    union all
    {{ quality_date_gaps('businesses_labelled', 'permits', 'business', 'nib', 'record_label', 'registered_on',
                         'tanggal_terbit_oss') }}
    union all
    {{ quality_date_gaps('projects', 'permits', 'project', 'id_proyek', 'record_label', 'tanggal_pengajuan_proyek',
                         'tanggal_pengajuan_proyek', '_path', '_row_number') }}
    union all
    {{ quality_date_gaps('permits', 'permits', 'permit', 'id_permohonan_izin', 'record_label', 'tgl_izin',
                         'tgl_izin', '_path', '_row_number') }}
)

select * from gaps
