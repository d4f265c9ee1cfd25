/* A C frame between the C++ thrower and catcher; compiled with -fexceptions
 * so that it has unwind tables. */
int guide_c_call(void (*fn)(int), int v)
{
	volatile int before = v;
	fn(v);
	return before + 1; /* not reached */
}
