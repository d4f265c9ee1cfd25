// A large C++ translation unit for tests/bench/compile-speed.sh: much of the
// standard library's headers, and templates instantiated over many types, so
// that parsing, instantiation and optimisation at -O2 all take their share.
#include <algorithm>
#include <any>
#include <array>
#include <atomic>
#include <bitset>
#include <chrono>
#include <complex>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iomanip>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <shared_mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <valarray>
#include <variant>
#include <vector>

namespace bench {

template <typename T>
struct stats {
	std::vector<T> values;
	std::map<T, std::size_t> histogram;
	std::unordered_map<std::string, T> named;

	void add(T v)
	{
		values.push_back(v);
		++histogram[v];
		named[std::to_string(values.size())] = v;
	}
	T sum() const { return std::accumulate(values.begin(), values.end(), T{}); }
	std::optional<T> median() const
	{
		if (values.empty())
			return std::nullopt;
		std::vector<T> v(values);
		std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
		return v[v.size() / 2];
	}
	std::string report() const
	{
		std::ostringstream os;
		os << std::setprecision(6) << "n=" << values.size() << " sum=" << sum();
		if (auto m = median())
			os << " median=" << *m;
		for (const auto &[k, n] : histogram)
			os << ' ' << k << ':' << n;
		return os.str();
	}
};

template <typename K, typename V>
std::vector<std::pair<K, V>> sorted_by_value(const std::unordered_map<K, V> &m)
{
	std::vector<std::pair<K, V>> out(m.begin(), m.end());
	std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
	return out;
}

using value = std::variant<int, long, double, std::string, std::vector<int>>;

std::string describe(const value &v)
{
	return std::visit(
		[](const auto &x) -> std::string {
			using X = std::decay_t<decltype(x)>;
			if constexpr (std::is_same_v<X, std::string>)
				return "string:" + x;
			else if constexpr (std::is_same_v<X, std::vector<int>>)
				return "vector:" + std::to_string(x.size());
			else
				return "number:" + std::to_string(x);
		},
		v);
}

template <typename Container>
auto run_async(const Container &c)
{
	std::vector<std::future<long>> fs;
	for (const auto &x : c)
		fs.push_back(std::async(std::launch::async, [x] { return static_cast<long>(x) * 2; }));
	long total = 0;
	for (auto &f : fs)
		total += f.get();
	return total;
}

std::vector<std::string> tokens(const std::string &text)
{
	static const std::regex word(R"(([A-Za-z_][A-Za-z0-9_]*)|([0-9]+(\.[0-9]+)?))");
	std::vector<std::string> out;
	for (std::sregex_iterator it(text.begin(), text.end(), word), end; it != end; ++it)
		out.push_back(it->str());
	return out;
}

template <typename T>
std::valarray<T> smooth(const std::valarray<T> &in)
{
	std::valarray<T> out(in.size());
	for (std::size_t i = 1; i + 1 < in.size(); i++)
		out[i] = (in[i - 1] + in[i] + in[i + 1]) / T(3);
	return out;
}

struct shape {
	virtual ~shape() = default;
	virtual double area() const = 0;
	virtual std::string name() const = 0;
};
struct circle : shape {
	double r;
	explicit circle(double r) : r(r) {}
	double area() const override { return 3.141592653589793 * r * r; }
	std::string name() const override { return "circle"; }
};
struct rect : shape {
	double w, h;
	rect(double w, double h) : w(w), h(h) {}
	double area() const override { return w * h; }
	std::string name() const override { return "rect"; }
};

std::map<std::string, double> areas(const std::vector<std::unique_ptr<shape>> &shapes)
{
	std::map<std::string, double> out;
	for (const auto &s : shapes)
		out[s->name()] += s->area();
	return out;
}

} // namespace bench

template struct bench::stats<int>;
template struct bench::stats<long>;
template struct bench::stats<double>;
template struct bench::stats<float>;
template struct bench::stats<unsigned>;
template struct bench::stats<short>;
template struct bench::stats<long long>;
template struct bench::stats<unsigned long>;
template std::valarray<double> bench::smooth(const std::valarray<double> &);
template std::valarray<float> bench::smooth(const std::valarray<float> &);
template std::valarray<std::complex<double>> bench::smooth(const std::valarray<std::complex<double>> &);

int main(int argc, char **argv)
{
	bench::stats<int> si;
	bench::stats<double> sd;
	std::mt19937_64 rng(42);
	std::uniform_int_distribution<int> di(0, 100);
	std::normal_distribution<double> dd(0, 1);
	for (int i = 0; i < 1000; i++) {
		si.add(di(rng));
		sd.add(dd(rng));
	}
	std::cout << si.report().size() << ' ' << sd.report().size() << '\n';
	std::vector<int> v(16);
	std::iota(v.begin(), v.end(), 1);
	std::cout << bench::run_async(v) << '\n';
	std::cout << bench::tokens(argc > 1 ? argv[1] : "alpha beta 3.14 gamma_2").size() << '\n';
	std::vector<std::unique_ptr<bench::shape>> shapes;
	shapes.push_back(std::make_unique<bench::circle>(1.0));
	shapes.push_back(std::make_unique<bench::rect>(2.0, 3.0));
	for (const auto &[k, a] : bench::areas(shapes))
		std::cout << k << ' ' << a << '\n';
	for (const bench::value &x : {bench::value(1), bench::value(2.5), bench::value(std::string("s"))})
		std::cout << bench::describe(x) << '\n';
	std::unordered_map<std::string, int> m{{"a", 3}, {"b", 1}, {"c", 2}};
	for (const auto &[k, n] : bench::sorted_by_value(m))
		std::cout << k << n;
	std::cout << std::filesystem::path(argv[0]).filename() << '\n';
	return 0;
}
