/* core/empty.c — the only source of a module folder that has no code yet. */
typedef int tf_empty_translation_unit;
