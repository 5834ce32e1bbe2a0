"""The data core: records, storage, framework data, i18n, paths, search and backup. Never imports Qt."""
