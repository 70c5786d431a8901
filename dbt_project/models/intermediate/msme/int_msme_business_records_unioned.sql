-- Every OSS record that names a business (NIB), from the three export families: the NIB list (one record per
-- NIB), the project list (one per project) and the permit list (one per permit application), each record as its
-- newest export has it. A business is a distinct NIB named by any of them (int_msme_businesses_classified picks
-- its attributes from these rows by source_rank). Records with a blank or malformed NIB name no business.
with nib_list as (select * from {{ ref('stg_oss__businesses') }}),
projects as (select * from {{ ref('stg_oss__projects') }} where nib is not null),
permits as (select * from {{ ref('stg_oss__permits') }} where nib is not null),

records as (
    select
        nib,
        'nib_list' as family,
        1 as family_priority,
        nib as record_id,
        registered_on,
        business_name,
        company_type,
        investment_status,
        oss_scale,
        regency_name,
        kecamatan_name,
        kelurahan_name,
        null as province_name,
        has_conflicting_registration_dates as conflicts_within_family,
        export_as_of,
        source_path,
        source_row
    from nib_list

    union all
    select
        nib,
        'project_list',
        2,
        project_id,
        nib_issued_on,
        business_name,
        company_type,
        investment_status,
        oss_scale,
        regency_name,
        kecamatan_name,
        kelurahan_name,
        null,
        false,
        export_as_of,
        source_path,
        source_row
    from projects

    union all
    -- The permit list names no kecamatan and no scale; its Kab Kota and Propinsi place the business.
    select
        nib,
        'permit_list',
        3,
        permit_application_id,
        nib_issued_on,
        business_name,
        null,
        investment_status,
        null,
        regency_name,
        null,
        null,
        province_name,
        false,
        export_as_of,
        source_path,
        source_row
    from permits
)

select
    *,
    -- 1 = the richest record: NIB list before project list before permit list, newest export first in each.
    row_number() over (
        partition by nib
        order by family_priority, {{ newest_export_first('export_as_of', 'source_path', 'source_row') }}, record_id
    ) as source_rank
from records
