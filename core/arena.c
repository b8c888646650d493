/* core/arena.c — a bump allocator owned by one scenario, freed at once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trustfuzz/scenario.h"

#define TF_ARENA_CHUNK 4096u

struct tf_arena_chunk {
	tf_arena_chunk *next;
	size_t cap, used;
	_Alignas(8) unsigned char data[];
};

void *tf_arena_alloc(tf_arena *a, size_t size)
{
	size = (size + 7u) & ~(size_t)7u;
	if (size == 0)
		size = 8;
	tf_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > TF_ARENA_CHUNK ? size : TF_ARENA_CHUNK;
		c = calloc(1, sizeof *c + cap);
		if (!c)
			return NULL;
		c->cap = cap;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += size;
	a->used += size;
	return p;
}

void *tf_arena_dup(tf_arena *a, const void *p, size_t n)
{
	void *q = tf_arena_alloc(a, n);
	if (q && n)
		memcpy(q, p, n);
	return q;
}

void tf_arena_free(tf_arena *a)
{
	tf_arena_chunk *c = a->head;
	while (c) {
		tf_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *tf_grow(void *items, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return items;
	size_t ncap = *cap ? *cap * 2 : 16;
	if (ncap < *cap || (size && ncap > SIZE_MAX / size))
		return NULL;
	void *grown = realloc(items, ncap * size);
	if (grown)
		*cap = ncap;
	return grown;
}
