# The verifier's desk (issue 17), citizen-facing: peak mode and a decision reopened.

# Added to "cek status" when the queue cannot be cleared before the deadlines at the pace of
# the last hours (e.g. a job fair).
status-peak = Saat ini permintaan verifikasi sedang sangat banyak, jadi pemeriksaan punya Bapak/Ibu kemungkinan selesai lebih lama dari batas waktu di atas. Permintaan tetap diperiksa sesuai urutan dan hasilnya kami kirim lewat obrolan ini. Tidak perlu mendaftar ulang.

# A supervisor reopened a decision (it was taken by mistake): the request waits again.
decision-reopened = Mohon maaf, keputusan untuk pendaftaran { $reference } kami tinjau ulang oleh petugas. Permintaan Bapak/Ibu kembali menunggu verifikasi; hasil terbarunya kami kirim lewat obrolan ini. Bapak/Ibu tidak perlu mengirim ulang apa pun.
