#ifdef __cplusplus
extern "C" {
#endif
int mutil_twice(int x);
#ifdef __cplusplus
}
#endif
