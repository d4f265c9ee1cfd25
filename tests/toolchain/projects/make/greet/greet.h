const char *greet(void);
const char *shout(void);
extern const char *make_version;
