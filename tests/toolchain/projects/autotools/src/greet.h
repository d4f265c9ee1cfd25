const char *greet(void);
