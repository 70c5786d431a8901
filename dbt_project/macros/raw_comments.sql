{# Why: the raw tables are written by the ingest assets (Python), not by dbt, so persist_docs never reaches them;
   their descriptions live with the sources (models/staging/*/__sources.yml, provenance texts in
   models/staging/_raw_provenance.md). At the end of each dbt invocation this turns every documented raw source
   table and column that exists in the current database into a COMMENT ON, so DBeaver and duckdb_columns() show
   what _path, _row_number, _file_hash... mean. Idempotent: a comment is simply set again. Returns no SQL. #}
{% macro comment_raw_sources() %}
    {% if execute %}
        {% set existing = run_query(
            "select table_name, column_name from duckdb_columns() "
            ~ "where database_name = current_database() and schema_name = 'raw'") %}
        {% set columns_by_table = {} %}
        {% for row in existing.rows %}
            {% do columns_by_table.setdefault(row[0], []).append(row[1]) %}
        {% endfor %}
        {% for source in graph.sources.values() if source.schema == 'raw' and source.identifier in columns_by_table %}
            {% set table = 'raw.' ~ adapter.quote(source.identifier) %}
            {% if source.description %}
                {% do run_query('comment on table ' ~ table ~ ' is ' ~ duckdb_escape_comment(source.description | trim)) %}
            {% endif %}
            {% for column in source.columns.values()
                if column.description and column.name in columns_by_table[source.identifier] %}
                {% do run_query('comment on column ' ~ table ~ '.' ~ adapter.quote(column.name) ~ ' is '
                                ~ duckdb_escape_comment(column.description | trim)) %}
            {% endfor %}
        {% endfor %}
    {% endif %}
{% endmacro %}
