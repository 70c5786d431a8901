{# Schemas are named by layer (staging, intermediate, marts, reference, rules), without dbt's target prefix,
   so analysts query marts.msme_business_counts. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name is not none else target.schema }}
{%- endmacro %}
