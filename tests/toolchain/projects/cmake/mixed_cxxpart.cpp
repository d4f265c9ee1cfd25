#include <map>
#include <stdexcept>
#include <string>
extern "C" int mixed_cxx_part(int k)
{
    std::map<int, std::string> m{{1, "one"}, {2, "two"}};
    try {
        return (int)m.at(k).size();
    } catch (const std::out_of_range &) {
        return -1;
    }
}
