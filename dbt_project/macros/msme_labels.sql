{#- The Indonesian label of an MSME/event mart code (int_msme_code_labels, built from seeds): a scalar lookup, so a
    label column sits right after its code without a join per label in every mart. NULL code -> NULL label; a code
    missing from its seed gives NULL too (tests/pipeline/test_mart_labels.py fails on it). -#}
{% macro msme_code_label(label_set, code) -%}
    (select code_labels.label from {{ ref('int_msme_code_labels') }} as code_labels
     where code_labels.label_set = '{{ label_set }}' and code_labels.code = {{ code }})
{%- endmacro %}
