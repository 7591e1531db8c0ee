# Shared words, dates and buttons used across conversations.
yes = Ya
no = Tidak

month-1 = Januari
month-2 = Februari
month-3 = Maret
month-4 = April
month-5 = Mei
month-6 = Juni
month-7 = Juli
month-8 = Agustus
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Desember

weekday-1 = Senin
weekday-2 = Selasa
weekday-3 = Rabu
weekday-4 = Kamis
weekday-5 = Jumat
weekday-6 = Sabtu
weekday-7 = Minggu

datetime-format = { $date } pukul { $time } WIB

btn-register = 📝 Daftar akun
btn-status = 🔎 Cek status
btn-faq = ❓ Tanya jawab
btn-agent = 👤 Hubungi petugas
btn-menu = 🏠 Menu
btn-resume = ▶️ Lanjutkan
btn-continue-registration = ▶️ Lanjut mendaftar
btn-yes = Ya
btn-no = Tidak
btn-agree = ✅ Setuju
btn-disagree = ❌ Tidak setuju
btn-correct = ✅ Benar
btn-wrong = ❌ Salah
btn-send = ✅ Kirim
btn-edit = ✏️ Ubah
btn-cancel = ❌ Batal
btn-use-number = ✅ Pakai nomor ini
btn-other-number = 📱 Nomor lain
btn-doc-ktp = KTP-el
btn-doc-resi = Resi KTP-el
btn-use-resi = 📄 Saya pakai resi
btn-use-ktp = 💳 Saya pakai KTP-el
btn-fix-nik = ✏️ Perbaiki NIK
btn-resubmit = 🔁 Daftar ulang
btn-erase = 🗑️ Hapus data saya
btn-erase-yes = 🗑️ Ya, hapus semua

# Words citizens may type at any step (comma-separated, case and punctuation ignored).
keywords-menu = menu, /menu, /start, start, mulai, home, menu utama
keywords-cancel = batal, /batal, batalkan, cancel, stop, berhenti, ga jadi, gak jadi, nggak jadi, tidak jadi, udahan, sudahan
keywords-help = bantuan, /bantuan, bantu, tolong, help, /help
keywords-register = daftar, /daftar, daftar akun, registrasi, pendaftaran, mendaftar
keywords-register-other = daftarkan orang lain, daftarin orang lain, mendaftarkan orang lain
keywords-status = status, /status, cek status, cek, lacak
keywords-faq = tanya, /tanya, faq, tanya faq, pertanyaan, tanya jawab
keywords-mydata = data saya, lihat data, data pribadi, /data
keywords-erase = hapus data, hapus data saya, hapus akun, tarik persetujuan, cabut persetujuan, /hapus
keywords-agent = petugas, /petugas, bicara dengan petugas, cs, operator, admin, hubungi petugas, customer service, call center

error-generic = Maaf, ada gangguan di sistem kami. Silakan kirim lagi pesan Bapak/Ibu sebentar lagi.

webchat-error-session = Sesi obrolan tidak ditemukan. Muat ulang halaman untuk mulai lagi.
webchat-error-json = Pesan tidak bisa dibaca. Silakan coba lagi.
webchat-error-empty = Pesan masih kosong. Silakan ketik pesan Bapak/Ibu.
webchat-error-after = Permintaan tidak valid.
webchat-error-photo-missing = Foto belum terlampir. Silakan pilih foto lagi.
webchat-error-too-many = Maaf, pesan yang Bapak/Ibu kirim terlalu banyak dalam waktu singkat. Mohon tunggu { $seconds } detik, lalu kirim lagi.

# lead: "lanjut" goes on where the citizen stopped (the current step or a paused registration).
keywords-continue = lanjut, lanjutkan, /lanjut, teruskan, lanjutin, terusin, lanjut daftar, lanjutkan pendaftaran
