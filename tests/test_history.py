import numpy as np

from netsim.history import History, Series


def test_series_keeps_every_point_until_full():
    s = Series(capacity=8)
    for k in range(8):
        s.append(k, float(k))
    assert s.data()[1].tolist() == list(range(8)) and s.stride == 1


def test_full_series_averages_pairs_and_doubles_stride():
    s = Series(capacity=4)
    for k in range(1, 6):
        s.append(k, float(k))
    steps, values = s.data()
    assert s.stride == 2
    assert values.tolist() == [1.5, 3.5]          # pairs (1,2), (3,4); 5 waits for its partner
    s.append(6, 6.0)
    assert s.data()[1].tolist() == [1.5, 3.5, 5.5] and s.data()[0].tolist() == [2, 4, 6]


def test_a_million_points_stay_within_capacity():
    s = Series(capacity=2048)
    for k in range(1_000_000):
        s.append(k, 1.0)
    assert s.n <= 2048 and np.all(s.data()[1] == 1.0)


def test_state_round_trip():
    h = History(capacity=16)
    for k in range(40):
        h.append("loss", k, k * 0.5)
    again = History.from_state(h.state_dict())
    again.append("loss", 40, 20.0)
    h.append("loss", 40, 20.0)
    np.testing.assert_array_equal(h["loss"].data()[1], again["loss"].data()[1])


def test_truncate_forgets_later_points():
    s = Series(capacity=16)
    for k in range(10):
        s.append(k, float(k))
    s.truncate_after(4)
    assert s.data()[0].tolist() == [0, 1, 2, 3, 4]
