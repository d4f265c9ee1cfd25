int helper_add(int a, int b);
const char *helper_libc(void);
