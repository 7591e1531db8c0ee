# Registration: consent, questions, errors, summary.
# Kept until the consent step shows consent-short with a "Baca selengkapnya" button.
consent-thanks = Terima kasih. Persetujuan Bapak/Ibu sudah dicatat.{ $helper ->
        [yes] {" "}Sekarang kita isi data keluarga yang didaftarkan.
       *[no] {""}
    }
consent-declined =
    Baik, tidak apa-apa. Tanpa persetujuan kami tidak bisa memproses pendaftaran.
    Bapak/Ibu tetap bisa bertanya atau bicara dengan petugas.

reg-welcome-back = Selamat datang kembali! Kita lanjutkan dari langkah terakhir.
reg-finish-open-first = { $helper ->
        [yes] Pendaftaran untuk keluarga yang tadi belum selesai. Kita selesaikan dulu, ya.
       *[no] Pendaftaran Bapak/Ibu sendiri belum selesai. Kita selesaikan dulu, ya.
    } Sesudah terkirim, pilih "Daftarkan orang lain". Ketik "batal" bila tidak jadi.
reg-resubmit-intro = Mari perbaiki pendaftaran { $reference } (sebelumnya ditolak karena { $reason }).
reg-already-submitted =
    Pendaftaran { $reference } sudah terkirim pada { $since } dan sedang menunggu verifikasi.
    Bapak/Ibu tidak perlu mendaftar lagi.
reg-already-approved = Akun Bapak/Ibu sudah terverifikasi. Bapak/Ibu tidak perlu mendaftar lagi.
reg-paused =
    Baik, pendaftaran dihentikan dulu. Data yang sudah diisi tetap tersimpan.
    Ketik "daftar" kapan saja untuk melanjutkan.

reg-ask-name = Langkah 1 dari 8. Tulis nama lengkap { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }, sama persis seperti di KTP.
reg-ask-nik = Langkah 2 dari 8. Ketik NIK { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }. NIK adalah Nomor Induk Kependudukan, 16 angka di baris atas KTP.
reg-confirm-birthdate = Langkah 3 dari 8. Menurut NIK, tanggal lahir { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    } { $date }. Apakah benar?
reg-ask-birthdate = Langkah 3 dari 8. Ketik tanggal lahir { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }. Contoh: 17-08-1975
reg-confirm-phone = Langkah 4 dari 8. { $helper ->
        [yes] Nomor HP ini { $phone }. Pakai nomor ini untuk pendaftaran keluarga Bapak/Ibu?
       *[no] Nomor HP Bapak/Ibu { $phone }. Pakai nomor ini untuk pendaftaran?
    }
reg-ask-phone = Langkah 4 dari 8. { $helper ->
        [yes] Ketik nomor HP aktif orang yang didaftarkan. Jika tidak punya, boleh nomor Bapak/Ibu.
       *[no] Ketik nomor HP Bapak/Ibu yang aktif.
    } Contoh: 0812 3456 7890
reg-ask-kecamatan = Langkah 5 dari 8. { $helper ->
        [yes] Orang yang didaftarkan
       *[no] Bapak/Ibu
    } tinggal di kecamatan mana? Pilih atau ketik angkanya.
reg-ask-kelurahan = Langkah 6 dari 8. Kelurahan mana di Kecamatan { $kecamatan }?
reg-ask-ktp-photo =
    Langkah 7 dari 8. Kirim foto KTP-el asli { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }.
    • Letakkan KTP di tempat terang.
    • Foto dari atas. Semua sudut KTP harus kelihatan.
    • Jangan pakai lampu kilat, supaya tidak silau.
    Belum punya KTP-el, baru resi? Tekan "Saya pakai resi".
reg-ask-resi-photo =
    Langkah 7 dari 8. Kirim foto resi KTP-el { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }.
    Cara foto yang baik:
    • Letakkan resi di meja, di tempat terang.
    • Foto dari atas. Seluruh kertas harus kelihatan.
    • Pastikan NIK dan nama terbaca jelas.
reg-ask-selfie =
    { $helper ->
        [yes] Langkah 8 dari 8. Minta Bapak/Ibu yang didaftarkan memegang KTP (atau resi) untuk selfie.
       *[no] Langkah 8 dari 8. Kirim foto selfie Bapak/Ibu sambil memegang KTP (atau resi).
    }
    • Pegang KTP di bawah dagu, jangan menutupi wajah.
    • Wajah menghadap kamera, tanpa masker dan kacamata hitam.
    • Di tempat terang. { $helper ->
        [yes] Bapak/Ibu boleh memotretnya.
       *[no] Boleh minta tolong keluarga memotret.
    }

reg-note-nik-outside = { $helper ->
        [yes] NIK ini bukan dari Kota Tangerang. Tidak apa-apa, tetap bisa didaftarkan. Petugas akan memeriksanya.
       *[no] NIK Bapak/Ibu bukan dari Kota Tangerang. Tidak apa-apa, Bapak/Ibu tetap bisa mendaftar. Petugas akan memeriksanya.
    }

name-error = Nama belum sesuai. Tulis nama lengkap dengan huruf saja, minimal 3 huruf. Contoh: SITI AMINAH
nik-error-length = NIK harus 16 angka. Coba periksa lagi KTP { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }.
nik-error-digits = NIK hanya berisi angka. Coba ketik lagi tanpa huruf.
nik-error-region = Kode wilayah di NIK tidak benar. Coba periksa lagi 6 angka pertama.
nik-error-date = Tanggal lahir di dalam NIK tidak benar. Coba periksa lagi angka ke-7 sampai ke-12.
nik-error-serial = 4 angka terakhir NIK tidak boleh 0000. Coba periksa lagi.
birthdate-error-format = Tanggal belum bisa saya baca. Ketik seperti ini: 17-08-1975
birthdate-error-range = Tanggal lahir itu tidak mungkin. Coba periksa lagi.
birthdate-mismatch = Tanggal lahir ini tidak sama dengan NIK (menurut NIK: { $nik_date }). Periksa lagi tanggal lahir, atau perbaiki NIK.
phone-error = Nomor HP belum benar. Ketik nomor HP Indonesia, contoh: 0812 3456 7890
reg-error-kecamatan = Kecamatan itu tidak ada di Kota Tangerang. Pilih salah satu tombol, atau ketik angkanya.
reg-error-kelurahan = Kelurahan itu tidak ada di kecamatan ini. Pilih salah satu tombol, atau ketik angkanya.
reg-error-choice = Maaf, pilihan itu belum saya mengerti. Tekan salah satu tombol, atau ketik angkanya.
reg-error-photo-expected = Di langkah ini saya perlu foto. Tekan tombol kamera 📷 lalu kirim fotonya.
reg-error-text-expected = Terima kasih fotonya, tapi di langkah ini saya perlu jawaban yang diketik.

reg-summary =
    Periksa data { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }:
    • Nama: { $name }
    • NIK: { $nik }
    • Tanggal lahir: { $birth }
    • Nomor HP: { $phone }
    • Kecamatan: { $kecamatan }
    • Kelurahan: { $kelurahan }
    • Dokumen: { $document }, foto dan selfie sudah diterima
    Jika sudah benar, tekan "Kirim".
reg-ask-edit = Bagian mana yang mau diubah?
field-full_name = Nama
field-nik = NIK
field-birth_date = Tanggal lahir
field-phone = Nomor HP
field-kecamatan = Kecamatan
field-kelurahan = Kelurahan
field-ktp = Foto KTP/resi
field-selfie = Foto selfie
reg-submitted =
    ✅ Terima kasih! Pendaftaran { $helper ->
        [yes] { $name }
       *[no] Bapak/Ibu
    } sudah terkirim.
    Nomor pendaftaran: { $reference }
    Petugas akan memeriksa dalam { $hours } jam (paling lambat { $deadline }).
    Kami akan memberi kabar di sini.

# Words (issue 12): the consent in three short lines, the full text behind "Baca selengkapnya".
consent-short =
    Data { $helper ->
        [yes] orang yang didaftarkan
        [any] yang didaftarkan
       *[no] Bapak/Ibu
    } (nama, NIK, nomor HP, foto KTP dan selfie) hanya untuk verifikasi akun Tangerang LIVE.
    Data disimpan aman. Foto dihapus { $days } hari setelah keputusan.{ $helper ->
        [yes] {"\u000A"}Apakah ia sudah mengizinkan, dan Bapak/Ibu setuju?
        [any] {""}
       *[no] {"\u000A"}Apakah Bapak/Ibu setuju?
    }
# Asked under consent-short when it is not known yet whose registration it is.
consent-ask-whom =
    Jika Bapak/Ibu setuju, pendaftaran ini untuk siapa?
    Untuk keluarga, pastikan ia sudah mengizinkan datanya dikirim.
btn-read-more = 📄 Baca selengkapnya
consent-full =
    Sebelum mendaftar, mohon baca ini:
    • Kami mengumpulkan: nama, NIK, tanggal lahir, nomor HP, kecamatan, kelurahan, foto KTP (atau resi) dan foto selfie { $helper ->
        [yes] orang yang didaftarkan
        [any] orang yang didaftarkan
       *[no] Bapak/Ibu
    } memegang KTP.
    • Tujuannya: hanya untuk verifikasi akun Tangerang LIVE oleh petugas Pemerintah Kota Tangerang.
    • Data disimpan terenkripsi. Foto dihapus { $days } hari setelah keputusan verifikasi.
    • Hak Bapak/Ibu (UU No. 27/2022): melihat data Bapak/Ibu, meminta perbaikan, dan meminta penghapusan. Ketik "data saya" atau "hapus data" kapan saja.
    { $helper ->
        [yes] • Bapak/Ibu mengirim data keluarga atas izinnya. Data yang dikirim lewat obrolan ini bisa dilihat dan dihapus dari sini.
        Apakah orang yang didaftarkan sudah mengizinkan, dan Bapak/Ibu setuju?
        [any] • Jika Bapak/Ibu mendaftarkan keluarga, data dikirim atas izinnya. Data yang dikirim lewat obrolan ini bisa dilihat dan dihapus dari sini.
       *[no] Apakah Bapak/Ibu setuju?
    }

# h7: understanding at each step
keywords-back = kembali, mundur, sebelumnya, balik, ke belakang, back, kembali ke sebelumnya
keywords-change = salah, ubah, ganti, edit, perbaiki, koreksi, ulang, ulangi, ralat, keliru
btn-place-no = Bukan
reg-place-did-you-mean = Maksud Bapak/Ibu { $place }?
reg-place-did-you-mean-both = Maksud Bapak/Ibu Kelurahan { $kelurahan }, Kecamatan { $kecamatan }?
reg-place-which = Yang Bapak/Ibu maksud yang mana? Pilih salah satu tombol.
reg-place-both = Baik: Kelurahan { $kelurahan }, Kecamatan { $kecamatan }.
reg-name-noted = Nama dicatat: { $name }
reg-name-hint = Di langkah ini saya perlu nama lengkap { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    } saja, seperti di KTP.
reg-question-unknown = Maaf, pertanyaan itu belum bisa saya jawab. Ketik "petugas" untuk bertanya ke petugas.
reg-back-first = Ini sudah langkah pertama.
reg-photo-reminder-ktp = Sekarang kirim foto KTP-el { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }. Tekan tombol kamera 📷.
reg-photo-reminder-resi = Sekarang kirim foto resi KTP-el { $helper ->
        [yes] orang yang didaftarkan
       *[no] Bapak/Ibu
    }. Tekan tombol kamera 📷.
reg-photo-reminder-selfie = { $helper ->
        [yes] Sekarang kirim foto selfie orang yang didaftarkan sambil memegang KTP. Tekan tombol kamera 📷.
       *[no] Sekarang kirim foto selfie sambil memegang KTP. Tekan tombol kamera 📷.
    }
reg-photo-hint-ktp = Di langkah ini saya perlu foto KTP-el. Tekan tombol kamera 📷, lalu kirim fotonya.
reg-photo-hint-resi = Di langkah ini saya perlu foto resi KTP-el. Tekan tombol kamera 📷, lalu kirim fotonya.
reg-photo-hint-selfie = Di langkah ini saya perlu foto selfie sambil memegang KTP. Tekan tombol kamera 📷.
reg-photo-again-ktp = Silakan kirim lagi foto KTP-el seperti contoh ini.
reg-photo-again-resi = Silakan kirim lagi foto resi seperti contoh ini.
reg-photo-again-selfie = Silakan kirim lagi foto selfie seperti contoh ini.
reg-photo-accepted-ktp = ✅ Foto KTP diterima
reg-photo-accepted-resi = ✅ Foto resi diterima
reg-photo-accepted-selfie = ✅ Foto selfie diterima
reg-photo-warnings-intro = Supaya petugas mudah memeriksa, mohon perhatikan:
reg-resi-chosen = Baik, Bapak/Ibu bisa mendaftar dengan resi KTP-el.
reg-ktp-chosen = Baik, kita pakai KTP-el.

# Issue 14: whose registration it is (herself, or a family member she helps), several people
# from one chat, and how to use the app once approved.
btn-whom-self = Untuk diri sendiri
btn-whom-family = Membantu keluarga
btn-register-other = Daftarkan orang lain
status-list =
    Ada { $count } pendaftaran dari obrolan ini:
    { $requests }
status-list-line = • { $reference } ({ $name }): { $status ->
        [draft] belum lengkap
        [submitted] menunggu verifikasi, paling lambat { $deadline }
        [approved] sudah disetujui
       *[rejected] ditolak, karena { $reason }
    }
app-how-to =
    { $helper ->
        [yes] Bantu keluarga memasang aplikasi Tangerang LIVE dari tautan ini: { $url }
       *[no] Pasang aplikasi Tangerang LIVE dari tautan ini: { $url }
    }
    Pastikan penerbitnya Pemerintah Kota Tangerang.
    Buka aplikasinya, lalu masuk dengan nomor HP yang didaftarkan.
    Lupa kata sandi? Di aplikasi, tekan "Lupa kata sandi".
