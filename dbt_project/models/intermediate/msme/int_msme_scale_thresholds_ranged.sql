-- The active MSME size rule set (var msme_scale_rule_set) as half-open ranges: lower < amount <= upper.
select
    scale,
    scale_order,
    coalesce(lag(max_capital) over (order by scale_order), -1e30) as capital_lower,
    coalesce(max_capital, 1e30) as capital_upper,
    coalesce(lag(max_annual_sales) over (order by scale_order), -1e30) as sales_lower,
    coalesce(max_annual_sales, 1e30) as sales_upper,
    rule_set,
    version as rule_set_version
from {{ ref('msme_scale_thresholds') }}
where rule_set = '{{ var("msme_scale_rule_set") }}'
