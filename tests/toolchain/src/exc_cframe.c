/* A C frame between thrower and catcher; built with -fexceptions so it has
 * unwind tables. */
int c_call(void (*fn)(int), int v)
{
	volatile int before = v;
	fn(v);
	return before + 1; /* not reached */
}
