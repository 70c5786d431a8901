-- One row per registered business (NIB) in the configured region: every NIB named by any OSS export (NIB list,
-- project list or permit list; `named_by` says which). No personal data.
with businesses as (select * from {{ ref('int_msme_businesses_classified') }})

select
    *,
    coalesce(
        registered_on > (select max(registered_on) from businesses where {{ in_region('regency_code') }})
            - to_days({{ var('new_registration_days') }}),
        false
    ) as is_new_registration
from businesses
where {{ in_region('regency_code') }}
