#ifdef __cplusplus
extern "C" {
#endif
int cutil_square(int x);
#ifdef __cplusplus
}
#endif
