-- One row per registered business (NIB) in the configured region. No personal data.
with businesses as (select * from {{ ref('int_msme_businesses_classified') }})

select
    *,
    registered_on > (select max(registered_on) from businesses where {{ in_region('regency_code') }})
        - to_days({{ var('new_registration_days') }}) as is_new_registration
from businesses
where {{ in_region('regency_code') }}
